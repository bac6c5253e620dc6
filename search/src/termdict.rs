//! The blocks of the term dictionaries, as tantivy's sstable dictionaries lay them out:
//! each field's dictionary in a segment's `.term` file is a run of blocks (a few KiB of
//! terms and their postings' addresses, read whole), then a block index (the last term of
//! each block and where the block lies), then a footer.
//!
//! Two uses: the `.term` file's pages end where blocks end (so a term lookup fetches one
//! page, never two halves of a block), and a fuzzy or prefix automaton's blocks are asked
//! for all at once (tantivy reads them one after the other and stops at the first missing
//! page: a word with a typo would take one round per run of missing blocks).

use std::io;
use std::path::Path;
use tantivy::directory::footer::Footer;
use tantivy::directory::{CompositeFile, Directory, FileSlice};
use tantivy::schema::Field;
use tantivy::SegmentReader;
use tantivy_fst::Automaton;
use tantivy_sstable::{Dictionary, VoidSSTable};

/// The name of the file of `segment`'s term dictionaries: `<segment id>.term`.
pub(crate) fn term_file(segment: &SegmentReader) -> String {
    format!("{}.term", segment.segment_id().uuid_string())
}

/// The file `name` of `dir` without the footer tantivy ends each segment file with (as
/// tantivy's own directory gives it): a term file as [`dictionary`] reads it.
///
/// # Errors
/// The file is not in `dir`, or its footer cannot be read (a page not present).
pub(crate) fn open_terms(dir: &dyn Directory, name: &str) -> io::Result<FileSlice> {
    let file = dir.open_read(Path::new(name)).map_err(io::Error::other)?;
    Footer::extract_footer(file).map(|(_, body)| body)
}

/// The dictionary of `field` in `terms` (a `.term` file: one dictionary per field, each
/// followed by 4 bytes naming its kind, tantivy's `TermDictionary::open`), read as an
/// sstable whose values are skipped; `None` when the field has no dictionary.
///
/// # Errors
/// The I/O error of a read of `terms` (a page not present, for a paged index), or
/// `InvalidData` when the dictionary is not an sstable one.
pub(crate) fn dictionary(terms: &FileSlice, field: Field) -> io::Result<Option<Dictionary<VoidSSTable>>> {
    let Some(slice) = CompositeFile::open(terms)?.open_read(field) else {
        return Ok(None);
    };
    let (main, _kind) = slice.split_from_end(4);
    Dictionary::open(main).map(Some)
}

/// Reads each block of `dict` in which `automaton` may match a term (the blocks tantivy
/// reads to run it, found in the block index alone), each on its own: every read is tried,
/// so that over pages, one round notes every missing one. The first error, if any.
pub(crate) fn read_blocks<A: Automaton>(dict: &Dictionary<VoidSSTable>, automaton: &A) -> io::Result<()> {
    let mut result = Ok(());
    for (_, block) in dict.sstable_index.get_block_for_automaton(automaton) {
        if let Err(e) = dict.sstable_slice.read_bytes_slice(block.byte_range) {
            result = result.and(Err(e));
        }
    }
    result
}
