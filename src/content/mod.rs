//! Load and parse stages for pages: discovery, reading, front matter, markdown.

pub mod discover;
pub mod frontmatter;
pub mod markdown;

use crate::config::Config;
use crate::diagnostics::Diagnostics;
use discover::SourceFile;
use frontmatter::FrontMatter;
use markdown::{Highlighter, Markdown};
use rayon::prelude::*;

/// A page file, parsed: checked front matter and rendered body.
#[derive(Debug)]
pub struct ParsedPage {
    /// Where it came from and what its name says.
    pub file: SourceFile,
    /// Its checked front matter.
    pub fm: FrontMatter,
    /// Its rendered body.
    pub body: Markdown,
}

/// Parses every file in parallel. The result keeps the order of `files`.
pub fn parse_all(
    files: Vec<SourceFile>,
    config: &Config,
    hl: &Highlighter,
    diags: &mut Diagnostics,
) -> Vec<ParsedPage> {
    let results: Vec<(Option<ParsedPage>, Diagnostics)> = files
        .into_par_iter()
        .map(|file| {
            let mut d = Diagnostics::new();
            let page = parse_one(file, config, hl, &mut d);
            (page, d)
        })
        .collect();
    let mut pages = Vec::with_capacity(results.len());
    for (page, d) in results {
        diags.extend(d);
        pages.extend(page);
    }
    pages
}

fn parse_one(
    file: SourceFile,
    config: &Config,
    hl: &Highlighter,
    diags: &mut Diagnostics,
) -> Option<ParsedPage> {
    let text = discover::read_text(&file, diags)?;
    let split = match frontmatter::split(&text) {
        Ok(s) => s,
        Err((pos, code, message)) => {
            diags.error(&file.rel, pos, code, message);
            return None;
        }
    };
    let fm = frontmatter::check(&file, &split, config, diags);
    let (body, problems) = markdown::render(split.body, split.body_line, hl);
    for p in problems {
        diags.error(&file.rel, p.pos, p.code, p.message);
    }
    Some(ParsedPage {
        fm: fm?,
        body,
        file,
    })
}
