//! The paged index: the files of an index cut into pages of [`PAGE_SIZE`] bytes, so that a
//! reader's browser downloads only the pages a query reads.
//!
//! The index is one tantivy index, exactly as a single file would carry it; only where its
//! bytes come from changes. [`PagedDirectory`] is a read-only tantivy [`Directory`] over
//! the pages present so far: a read that needs a page not yet present fails (tantivy
//! passes the I/O error up) and the page is noted as wanted. The engine then asks for the
//! wanted pages and answers again, and an answer is returned only from an attempt in which
//! no read failed: it is computed from the very bytes a whole index holds, so it is the
//! same answer, ranked with the same BM25 statistics.
//!
//! The pages every query reads (what tantivy reads to open the index, the term
//! dictionaries' block indexes, the field norms and the facet column) are found at build
//! time by opening the index and recording which pages were read; they travel in the
//! entry file. A small index travels whole in its entry (see [`WHOLE_UP_TO`]).

use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, OwnedBytes, WatchCallback, WatchHandle, WritePtr,
};
use tantivy::HasLen;

/// Bytes per page (but for the document store's and the term dictionaries', which end
/// where their blocks end). A term lookup reads one dictionary block (tantivy's sstable
/// blocks are about 4 KiB, a page of their own) and a short posting list: with pages of 2 KiB, what a query fetches beyond what it reads is
/// small (on 2,000 pages of text, a two-word query fetches about 20% less than with 4 KiB),
/// and a language of 2,000 pages is some 12,000 files.
pub const PAGE_SIZE: usize = 2048;

/// Indexes whose pages add up to at most this many bytes (before compression) are written
/// whole into their entry file: one request, and less than the pages a first query would
/// fetch one by one.
pub const WHOLE_UP_TO: usize = 96 * 1024;

/// Where a file of the index is: its name, length in bytes, the number of its first page
/// (its pages are numbered on from there), and its pages' sizes when they are not all
/// [`PAGE_SIZE`] (the document store's pages end where its blocks end: a result's text
/// is then fetched alone, not with its neighbours'; so do the term dictionaries': a term's
/// block is then one page, never the ends of two).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct FileLayout {
    pub name: String,
    pub len: u64,
    pub first: u32,
    /// Each page's length, in order; empty when every page but the last is [`PAGE_SIZE`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sizes: Vec<u32>,
}

impl FileLayout {
    /// How many pages the file takes.
    pub(crate) fn page_count(&self) -> u32 {
        if self.sizes.is_empty() {
            self.len.div_ceil(PAGE_SIZE as u64) as u32
        } else {
            self.sizes.len() as u32
        }
    }

    /// Where each page starts in the file, and where the file ends.
    fn starts(&self) -> Vec<u64> {
        let mut starts = Vec::with_capacity(self.page_count() as usize + 1);
        let mut at = 0;
        for i in 0..self.page_count() {
            starts.push(at);
            at += self.sizes.get(i as usize).map_or(PAGE_SIZE as u64, |&s| u64::from(s));
        }
        starts.push(self.len);
        starts
    }
}

/// The pages of `files` (in that order), cut where `ends` says for a file it names (the
/// offsets where its pages end, ascending), else every [`PAGE_SIZE`] bytes: the layout,
/// and each page's bytes by number.
pub(crate) fn cut(files: &[(String, Vec<u8>)], ends: &HashMap<String, Vec<usize>>) -> (Vec<FileLayout>, Vec<Vec<u8>>) {
    let mut layout = Vec::with_capacity(files.len());
    let mut pages = Vec::new();
    for (name, bytes) in files {
        let first = pages.len() as u32;
        let mut sizes = Vec::new();
        match ends.get(name) {
            Some(ends) => {
                let mut start = 0;
                for &end in ends.iter().filter(|&&e| e <= bytes.len()).chain([bytes.len()].iter()) {
                    if end > start {
                        sizes.push((end - start) as u32);
                        pages.push(bytes[start..end].to_vec());
                        start = end;
                    }
                }
            }
            None => pages.extend(bytes.chunks(PAGE_SIZE).map(<[u8]>::to_vec)),
        }
        layout.push(FileLayout { name: name.clone(), len: bytes.len() as u64, first, sizes });
    }
    (layout, pages)
}

/// Where pages should end so that each of `blocks` (byte ranges of a file `len` bytes
/// long, read whole) is in one page: consecutive blocks share a page up to [`PAGE_SIZE`],
/// a larger block is a page of its own, and what no block covers is cut every
/// [`PAGE_SIZE`] bytes.
pub(crate) fn ends_around(blocks: &[Range<usize>], len: usize) -> Vec<usize> {
    let mut bounds: Vec<usize> = blocks.iter().flat_map(|b| [b.start, b.end]).chain([0, len]).collect();
    bounds.sort_unstable();
    bounds.dedup();
    let starts: std::collections::HashSet<usize> = blocks.iter().map(|b| b.start).collect();
    let is_block = |from: usize| starts.contains(&from);
    let mut ends = Vec::new();
    let mut page_start = 0;
    for pair in bounds.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        if !is_block(from) && to - from > PAGE_SIZE {
            if from > page_start {
                ends.push(from);
            }
            ends.extend((from + PAGE_SIZE..to).step_by(PAGE_SIZE));
            page_start = ends.last().copied().unwrap_or(from);
            continue;
        }
        if from > page_start && to - page_start > PAGE_SIZE {
            ends.push(from);
            page_start = from;
        }
    }
    ends
}

/// Reads recorded: (file, byte range), in order.
type Recorded = Mutex<Vec<(usize, Range<usize>)>>;

/// The pages of an index: its layout, the pages present, and the pages reads wanted.
#[derive(Debug, Default)]
pub(crate) struct Pages {
    files: Vec<FileLayout>,
    /// Each file's page starts (see [`FileLayout::starts`]).
    starts: Vec<Vec<u64>>,
    present: Mutex<HashMap<u32, OwnedBytes>>,
    /// Pages a read needed and did not find, since [`Pages::take_wanted`].
    wanted: Mutex<BTreeSet<u32>>,
    /// Every read, as (file, byte range), when recording (at build time, to choose the
    /// entry's pages and where the document store's pages end).
    reads: Option<Recorded>,
}

impl Pages {
    /// Pages laid out as `files`, with none present.
    pub(crate) fn new(files: Vec<FileLayout>) -> Pages {
        let starts = files.iter().map(FileLayout::starts).collect();
        Pages { files, starts, ..Pages::default() }
    }

    /// Pages that also note every read (see [`Pages::pages_read`], [`Pages::ranges_read`]).
    pub(crate) fn recording(files: Vec<FileLayout>) -> Pages {
        Pages { reads: Some(Mutex::default()), ..Pages::new(files) }
    }

    /// How many pages the index has.
    pub(crate) fn count(&self) -> u32 {
        self.files.iter().map(FileLayout::page_count).sum()
    }

    /// Adds page `number`; whether it was added: a number outside the index, a page
    /// already present, or bytes of the wrong length (a page of another build) are not.
    pub(crate) fn add(&self, number: u32, bytes: Vec<u8>) -> bool {
        if self.expected_len(number) != Some(bytes.len()) {
            return false;
        }
        let mut present = lock(&self.present);
        if present.contains_key(&number) {
            return false;
        }
        present.insert(number, OwnedBytes::new(bytes));
        true
    }

    /// Whether page `number` is present.
    pub(crate) fn has(&self, number: u32) -> bool {
        lock(&self.present).contains_key(&number)
    }

    /// The file holding page `number`, and the page's index in it.
    fn locate(&self, number: u32) -> Option<(usize, usize)> {
        let file = self.files.iter().position(|f| (f.first..f.first + f.page_count()).contains(&number))?;
        Some((file, (number - self.files[file].first) as usize))
    }

    /// The length page `number` must have, or `None` when the index has no such page.
    fn expected_len(&self, number: u32) -> Option<usize> {
        let (file, i) = self.locate(number)?;
        Some((self.starts[file][i + 1] - self.starts[file][i]) as usize)
    }

    /// The pages wanted since the last call, in order; forgets them.
    pub(crate) fn take_wanted(&self) -> Vec<u32> {
        std::mem::take(&mut *lock(&self.wanted)).into_iter().collect()
    }

    /// Every page read so far, when recording.
    pub(crate) fn pages_read(&self) -> BTreeSet<u32> {
        let Some(reads) = &self.reads else { return BTreeSet::new() };
        lock(reads).iter().flat_map(|(file, range)| self.pages_of(*file, range)).collect()
    }

    /// The byte ranges read so far in file `name`, when recording; forgets every read.
    pub(crate) fn take_ranges_read(&self, name: &str) -> Vec<Range<usize>> {
        let Some(reads) = &self.reads else { return Vec::new() };
        let file = self.files.iter().position(|f| f.name == name);
        std::mem::take(&mut *lock(reads)).into_iter().filter(|(f, _)| Some(*f) == file).map(|(_, r)| r).collect()
    }

    /// The numbers of the pages of `file` holding `range` (none for an empty range).
    fn pages_of(&self, file: usize, range: &Range<usize>) -> Range<u32> {
        let first = self.files[file].first;
        if range.is_empty() {
            return first..first;
        }
        let starts = &self.starts[file];
        let page = |at: usize| starts.partition_point(|&s| s <= at as u64).saturating_sub(1) as u32;
        first + page(range.start)..first + page(range.end - 1) + 1
    }

    /// `range` of `file`, or an error naming the pages it lacks (noted as wanted).
    fn read(&self, file: usize, range: Range<usize>) -> io::Result<OwnedBytes> {
        let numbers = self.pages_of(file, &range);
        if let Some(reads) = &self.reads {
            lock(reads).push((file, range.clone()));
        }
        let present = lock(&self.present);
        let missing: Vec<u32> = numbers.clone().filter(|n| !present.contains_key(n)).collect();
        if !missing.is_empty() {
            drop(present);
            lock(&self.wanted).extend(missing);
            return Err(io::Error::new(io::ErrorKind::WouldBlock, "a page of the search index is not loaded yet"));
        }
        let first = self.files[file].first;
        let offset = |n: u32| self.starts[file][(n - first) as usize] as usize;
        if numbers.len() == 1 {
            let start = range.start - offset(numbers.start);
            let page = &present[&numbers.start];
            return Ok(page.slice(start..start + range.len()));
        }
        let mut bytes = Vec::with_capacity(range.len());
        for n in numbers {
            let page = present[&n].as_slice();
            let from = range.start.saturating_sub(offset(n));
            let to = (range.end - offset(n)).min(page.len());
            bytes.extend_from_slice(&page[from..to]);
        }
        Ok(OwnedBytes::new(bytes))
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A read-only tantivy directory over [`Pages`].
#[derive(Debug, Clone)]
pub(crate) struct PagedDirectory {
    pages: Arc<Pages>,
}

impl PagedDirectory {
    pub(crate) fn new(pages: Arc<Pages>) -> PagedDirectory {
        PagedDirectory { pages }
    }

    fn file(&self, path: &Path) -> Option<usize> {
        let name = path.to_str()?;
        self.pages.files.iter().position(|f| f.name == name)
    }
}

/// One file of a [`PagedDirectory`].
#[derive(Debug)]
struct PagedFile {
    pages: Arc<Pages>,
    file: usize,
}

impl HasLen for PagedFile {
    fn len(&self) -> usize {
        self.pages.files[self.file].len as usize
    }
}

impl FileHandle for PagedFile {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        self.pages.read(self.file, range)
    }
}

fn unsupported(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::Unsupported, format!("a search index is read-only ({what})"))
}

impl Directory for PagedDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let file = self.file(path).ok_or_else(|| OpenReadError::FileDoesNotExist(path.to_path_buf()))?;
        Ok(Arc::new(PagedFile { pages: Arc::clone(&self.pages), file }))
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::IoError { io_error: Arc::new(unsupported("delete")), filepath: path.to_path_buf() })
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        Ok(self.file(path).is_some())
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::IoError { io_error: Arc::new(unsupported("write")), filepath: PathBuf::from(path) })
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        let file = self.file(path).ok_or_else(|| OpenReadError::FileDoesNotExist(path.to_path_buf()))?;
        let len = self.pages.files[file].len as usize;
        self.pages
            .read(file, 0..len)
            .map(|b| b.as_slice().to_vec())
            .map_err(|e| OpenReadError::IoError { io_error: Arc::new(e), filepath: path.to_path_buf() })
    }

    fn atomic_write(&self, _path: &Path, _data: &[u8]) -> io::Result<()> {
        Err(unsupported("write"))
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    /// Nothing writes to the index, so readers need no lock (tantivy takes one to read the
    /// index's metadata).
    fn acquire_lock(&self, _lock: &Lock) -> Result<DirectoryLock, LockError> {
        Ok(DirectoryLock::from(Box::new(())))
    }

    fn watch(&self, _watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        Ok(WatchHandle::empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_end_where_blocks_end() {
        let p = PAGE_SIZE;
        // Two small blocks share a page, a large one is a page of its own, and the rest
        // of the file (no block) is cut every PAGE_SIZE bytes.
        let blocks = [0..p / 4, p / 4..p / 2, p / 2..p / 2 + 3 * p, p / 2 + 3 * p..p / 2 + 3 * p + 10];
        let ends = ends_around(&blocks, p * 6);
        assert_eq!(ends, [p / 2, p / 2 + 3 * p, p / 2 + 3 * p + 10, p / 2 + 4 * p + 10, p / 2 + 5 * p + 10]);
        let files = vec![("store".to_string(), vec![7u8; p * 6])];
        let (layout, pages) = cut(&files, &HashMap::from([("store".to_string(), ends)]));
        assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [p / 2, 3 * p, 10, p, p, p / 2 - 10]);
        let read = Pages::new(layout);
        for (n, page) in pages.into_iter().enumerate() {
            read.add(n as u32, page);
        }
        assert_eq!(read.pages_of(0, &(p / 2..p / 2 + 3 * p)), 1..2);
        assert_eq!(read.read(0, p..p * 5).expect("present").len(), p * 4);
    }

    fn file(len: usize) -> Vec<(String, Vec<u8>)> {
        vec![("a".into(), (0..len).map(|i| (i % 251) as u8).collect())]
    }

    #[test]
    fn reads_across_pages_once_they_are_present() {
        let files = file(PAGE_SIZE * 2 + 10);
        let (layout, pages) = cut(&files, &HashMap::new());
        assert_eq!(pages.len(), 3);
        assert_eq!(pages[2].len(), 10);
        let p = Pages::new(layout);
        let range = PAGE_SIZE - 5..PAGE_SIZE * 2 + 3;
        assert!(p.read(0, range.clone()).is_err());
        assert_eq!(p.take_wanted(), [0, 1, 2]);
        assert!(p.take_wanted().is_empty());
        for (n, bytes) in pages.into_iter().enumerate() {
            p.add(n as u32, bytes);
        }
        let read = p.read(0, range.clone()).expect("present");
        assert_eq!(read.as_slice(), &files[0].1[range]);
        let one = p.read(0, 3..9).expect("present");
        assert_eq!(one.as_slice(), &files[0].1[3..9]);
    }

    #[test]
    fn refuses_pages_of_the_wrong_length_or_number() {
        let (layout, pages) = cut(&file(PAGE_SIZE + 1), &HashMap::new());
        let p = Pages::new(layout);
        p.add(1, vec![0; 2]);
        p.add(7, vec![0; PAGE_SIZE]);
        p.add(0, pages[0].clone());
        assert!(p.read(0, 0..PAGE_SIZE).is_ok());
        assert!(p.read(0, 0..PAGE_SIZE + 1).is_err());
        assert_eq!(p.take_wanted(), [1]);
    }
}
