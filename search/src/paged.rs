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

/// Bytes per page. A term dictionary block (tantivy's sstable blocks are about 4 KiB), a
/// short posting list or a stored page's text is one or two pages: small enough that a
/// query transfers little beyond what it reads, large enough that a 2,000-page language is
/// a few thousand files.
pub const PAGE_SIZE: usize = 4096;

/// Indexes whose pages add up to at most this many bytes (before compression) are written
/// whole into their entry file: one request, and less than the pages a first query would
/// fetch one by one.
pub const WHOLE_UP_TO: usize = 96 * 1024;

/// Where a file of the index is: its name, length in bytes, and the number of its first
/// page (its pages are numbered on from there, the last one possibly short).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct FileLayout {
    pub name: String,
    pub len: u64,
    pub first: u32,
}

impl FileLayout {
    /// The numbers of the pages holding `range` of the file (none for an empty range).
    fn pages_of(&self, range: &Range<usize>) -> Range<u32> {
        if range.is_empty() {
            return self.first..self.first;
        }
        let first = self.first + (range.start / PAGE_SIZE) as u32;
        let last = self.first + ((range.end - 1) / PAGE_SIZE) as u32;
        first..last + 1
    }

    /// How many pages the file takes.
    pub(crate) fn page_count(&self) -> u32 {
        self.len.div_ceil(PAGE_SIZE as u64) as u32
    }
}

/// Numbers the pages of `files` (in that order) and cuts them: the layout, and each page's
/// bytes by number.
pub(crate) fn cut(files: &[(String, Vec<u8>)]) -> (Vec<FileLayout>, Vec<Vec<u8>>) {
    let mut layout = Vec::with_capacity(files.len());
    let mut pages = Vec::new();
    for (name, bytes) in files {
        layout.push(FileLayout { name: name.clone(), len: bytes.len() as u64, first: pages.len() as u32 });
        pages.extend(bytes.chunks(PAGE_SIZE).map(<[u8]>::to_vec));
    }
    (layout, pages)
}

/// The pages of an index: its layout, the pages present, and the pages reads wanted.
#[derive(Debug, Default)]
pub(crate) struct Pages {
    files: Vec<FileLayout>,
    present: Mutex<HashMap<u32, OwnedBytes>>,
    /// Pages a read needed and did not find, since [`Pages::take_wanted`].
    wanted: Mutex<BTreeSet<u32>>,
    /// Every page read, when recording (at build time, to choose the entry's pages).
    read: Option<Mutex<BTreeSet<u32>>>,
}

impl Pages {
    /// Pages laid out as `files`, with none present.
    pub(crate) fn new(files: Vec<FileLayout>) -> Pages {
        Pages { files, ..Pages::default() }
    }

    /// Pages that also note every page read (see [`Pages::read_so_far`]).
    pub(crate) fn recording(files: Vec<FileLayout>) -> Pages {
        Pages { files, read: Some(Mutex::default()), ..Pages::default() }
    }

    /// How many pages the index has.
    pub(crate) fn count(&self) -> u32 {
        self.files.iter().map(FileLayout::page_count).sum()
    }

    /// Adds page `number`; a number outside the index, a page already present, or bytes
    /// of the wrong length (a page of another build) are ignored.
    pub(crate) fn add(&self, number: u32, bytes: Vec<u8>) {
        let Some(expected) = self.expected_len(number) else { return };
        if bytes.len() != expected {
            return;
        }
        lock(&self.present).entry(number).or_insert_with(|| OwnedBytes::new(bytes));
    }

    /// The length page `number` must have, or `None` when the index has no such page.
    fn expected_len(&self, number: u32) -> Option<usize> {
        let file = self.files.iter().find(|f| (f.first..f.first + f.page_count()).contains(&number))?;
        let start = (number - file.first) as u64 * PAGE_SIZE as u64;
        Some((file.len - start).min(PAGE_SIZE as u64) as usize)
    }

    /// The pages wanted since the last call, in order; forgets them.
    pub(crate) fn take_wanted(&self) -> Vec<u32> {
        std::mem::take(&mut *lock(&self.wanted)).into_iter().collect()
    }

    /// Every page read so far, when recording.
    pub(crate) fn read_so_far(&self) -> BTreeSet<u32> {
        self.read.as_ref().map(|r| lock(r).clone()).unwrap_or_default()
    }

    /// `range` of `file`, or an error naming the pages it lacks (noted as wanted).
    fn read(&self, file: &FileLayout, range: Range<usize>) -> io::Result<OwnedBytes> {
        let numbers = file.pages_of(&range);
        if let Some(read) = &self.read {
            lock(read).extend(numbers.clone());
        }
        let present = lock(&self.present);
        let missing: Vec<u32> = numbers.clone().filter(|n| !present.contains_key(n)).collect();
        if !missing.is_empty() {
            drop(present);
            lock(&self.wanted).extend(missing);
            return Err(io::Error::new(io::ErrorKind::WouldBlock, "a page of the search index is not loaded yet"));
        }
        let offset = |n: u32| (n - file.first) as usize * PAGE_SIZE;
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
        self.pages.read(&self.pages.files[self.file], range)
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
        let layout = &self.pages.files[file];
        self.pages
            .read(layout, 0..layout.len as usize)
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

    fn file(len: usize) -> Vec<(String, Vec<u8>)> {
        vec![("a".into(), (0..len).map(|i| (i % 251) as u8).collect())]
    }

    #[test]
    fn reads_across_pages_once_they_are_present() {
        let files = file(PAGE_SIZE * 2 + 10);
        let (layout, pages) = cut(&files);
        assert_eq!(pages.len(), 3);
        assert_eq!(pages[2].len(), 10);
        let p = Pages::new(layout.clone());
        let range = PAGE_SIZE - 5..PAGE_SIZE * 2 + 3;
        assert!(p.read(&layout[0], range.clone()).is_err());
        assert_eq!(p.take_wanted(), [0, 1, 2]);
        assert!(p.take_wanted().is_empty());
        for (n, bytes) in pages.into_iter().enumerate() {
            p.add(n as u32, bytes);
        }
        let read = p.read(&layout[0], range.clone()).expect("present");
        assert_eq!(read.as_slice(), &files[0].1[range]);
        let one = p.read(&layout[0], 3..9).expect("present");
        assert_eq!(one.as_slice(), &files[0].1[3..9]);
    }

    #[test]
    fn refuses_pages_of_the_wrong_length_or_number() {
        let (layout, pages) = cut(&file(PAGE_SIZE + 1));
        let p = Pages::new(layout.clone());
        p.add(1, vec![0; 2]);
        p.add(7, vec![0; PAGE_SIZE]);
        p.add(0, pages[0].clone());
        assert!(p.read(&layout[0], 0..PAGE_SIZE).is_ok());
        assert!(p.read(&layout[0], 0..PAGE_SIZE + 1).is_err());
        assert_eq!(p.take_wanted(), [1]);
    }
}
