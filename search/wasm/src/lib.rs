//! guidebook's search engine for the reader's browser: a WebAssembly module with no
//! imports. The page's script copies an index's entry file into the module's memory,
//! opens it (getting a handle back, so the module keeps no global state), then sends JSON
//! requests and reads JSON answers, exactly as `guidebook search --json` prints them, or
//! `{"need": [numbers], "folder": "..."}` when the index's pages of those numbers must be
//! fetched (`search/<lang>/<folder>/<number>.bin`) and added with [`gb_add_page`] first.
//!
//! Every function takes and returns plain numbers: pointers into the module's memory and
//! lengths. The script frees what it allocated and what it was given.

use guidebook_search::{Answer, Engine, Request, Response};

/// Allocates `len` bytes for the script to write into.
#[no_mangle]
pub extern "C" fn gb_alloc(len: usize) -> *mut u8 {
    let mut buffer = Vec::<u8>::with_capacity(len.max(1));
    let ptr = buffer.as_mut_ptr();
    std::mem::forget(buffer);
    ptr
}

/// Frees `len` bytes at `ptr`, allocated by [`gb_alloc`] or returned by [`gb_search`].
///
/// # Safety
/// `ptr` and `len` must come from this module, and be freed once.
#[no_mangle]
pub unsafe extern "C" fn gb_free(ptr: *mut u8, len: usize) {
    if !ptr.is_null() {
        drop(Vec::from_raw_parts(ptr, 0, len.max(1)));
    }
}

/// Opens the index entry file of `len` bytes at `ptr` (uncompressed); returns a handle, or
/// 0 when it is not a valid index.
///
/// # Safety
/// `ptr..ptr+len` must be memory of this module holding the entry file.
#[no_mangle]
pub unsafe extern "C" fn gb_open(ptr: *const u8, len: usize) -> *mut Engine {
    let bytes = std::slice::from_raw_parts(ptr, len);
    match Engine::open(bytes) {
        Ok(engine) => Box::into_raw(Box::new(engine)),
        Err(_) => std::ptr::null_mut(),
    }
}

/// Adds page `number` of the index, `len` bytes at `ptr` (uncompressed); a page that does
/// not belong to the index is ignored. The script still frees `ptr`.
///
/// # Safety
/// `engine` must come from [`gb_open`]; `ptr..ptr+len` must be memory of this module.
#[no_mangle]
pub unsafe extern "C" fn gb_add_page(engine: *const Engine, number: u32, ptr: *const u8, len: usize) {
    if let Some(engine) = engine.as_ref() {
        engine.add_page(number, std::slice::from_raw_parts(ptr, len).to_vec());
    }
}

/// Answers the JSON request of `len` bytes at `ptr` (`{"q": "...", "filters": [...],
/// "limit": 10}`); writes the answer's length at `out_len` and returns the answer (JSON: a
/// response, or the pages it needs), which the script frees with [`gb_free`].
///
/// # Safety
/// `engine` must come from [`gb_open`]; the pointers must be memory of this module.
#[no_mangle]
pub unsafe extern "C" fn gb_search(engine: *const Engine, ptr: *const u8, len: usize, out_len: *mut usize) -> *mut u8 {
    let request: Request = serde_json::from_slice(std::slice::from_raw_parts(ptr, len)).unwrap_or_default();
    let answer = match engine.as_ref() {
        Some(engine) => match engine.answer(&request) {
            Answer::Ready(response) => serde_json::to_vec(&response),
            Answer::Needs(numbers) => {
                serde_json::to_vec(&serde_json::json!({"need": numbers, "folder": engine.folder()}))
            }
        },
        None => serde_json::to_vec(&Response::default()),
    };
    let mut json = answer.unwrap_or_default().into_boxed_slice();
    *out_len = json.len();
    let out = json.as_mut_ptr();
    std::mem::forget(json);
    out
}

/// Closes an index opened by [`gb_open`].
///
/// # Safety
/// `engine` must come from [`gb_open`] and be closed once.
#[no_mangle]
pub unsafe extern "C" fn gb_close(engine: *mut Engine) {
    if !engine.is_null() {
        drop(Box::from_raw(engine));
    }
}

/// Searching needs no randomness (only writing an index does, natively), but the
/// dependencies ask for a source on this target: bytes derived from where they go.
///
/// # Safety
/// Called by `getrandom` with a valid buffer.
#[no_mangle]
unsafe extern "Rust" fn __getrandom_v03_custom(dest: *mut u8, len: usize) -> Result<(), getrandom::Error> {
    let mut x = (dest as usize as u64) ^ 0x9e37_79b9_7f4a_7c15 ^ len as u64;
    for i in 0..len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *dest.add(i) = x as u8;
    }
    Ok(())
}
