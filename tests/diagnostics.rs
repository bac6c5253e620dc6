//! Every mistake an editor can make, with the exact message, line and column they read.

mod support;

use support::{assert_no_panic, TestSite};

/// The invalid fixture, plus the bad files that cannot live in git as they are.
fn invalid_site() -> TestSite {
    let site = TestSite::fixture("invalid");
    site.write("content/pilots/latin1.en.md", b"---\ntitle: Caf\xe9\ncountry: countries/france\n---\n");
    site.write("content/pilots/empty.en.md", b"");
    site.write("content/pilots/huge.en.md", vec![b'a'; 11 * 1024 * 1024]);
    // A BOM and CRLF line endings are fine; the error on line 4 must still say line 4.
    site.write(
        "content/pilots/crlf.en.md",
        b"\xef\xbb\xbf---\r\ntitle: Windows file\r\ncountry: countries/france\r\nlevel: nationl\r\n---\r\n\r\nBody.\r\n",
    );
    let mut large = String::from("---\ntitle: Large\ncountry: countries/france\n");
    for i in 0..3000 {
        large.push_str(&format!("# padding line {i} xxxxxxxxxxxxxxxxxxxx\n"));
    }
    large.push_str("---\n");
    site.write("content/pilots/large-fm.en.md", large);
    site.write(
        "content/pilots/deep.en.md",
        format!("---\ntitle: Deep\nsources: {}{}\n---\n", "[".repeat(40), "]".repeat(40)),
    );
    #[cfg(unix)]
    {
        let outside = site
            .root()
            .parent()
            .expect("parent")
            .join(format!("{}-secret.md", site.root().file_name().expect("name").to_string_lossy()));
        std::fs::write(&outside, "---\ntitle: Secret\n---\n").expect("write outside");
        std::os::unix::fs::symlink(&outside, site.path("content/pilots/leak.en.md")).expect("symlink");
    }
    site
}

const EXPECTED: &[&str] = &[
    "content/events/meeting.en.md:1:1: error: section `events` is not declared in site.yaml: add it under `sections:` or move the file",
    "content/pilots/My Pilot.en.md:1:1: error: `My Pilot` cannot be a page id: use lowercase letters, digits and hyphens (rename the file to `my-pilot.en.md`)",
    "content/pilots/bad-chart.en.md:12:3: error: the value of `Portugal` is not a number: write it with digits and a dot (`48.31`)",
    "content/pilots/bad-enum.en.md:4:8: error: `nationl` is not an allowed value of `level` (did you mean `national`?); allowed: `local`, `national` or `european`",
    "content/pilots/bad-enum.en.md:5:20: error: `exit-work` is not a term of taxonomy `themes` (did you mean `exit work`?); add it to `taxonomies.themes.terms` in site.yaml if it is new",
    "content/pilots/bad-kind.en.md:3:7: error: kind `pilto` is not declared in site.yaml (did you mean `pilot`?); kinds: `country`, `pilot` or `page`",
    "content/pilots/bad-ref.en.md:3:10: error: country `countries/francee` does not exist (did you mean `countries/france`?)",
    "content/pilots/bad-ref.en.md:6:5: error: neighbours `countries/spian` does not exist",
    "content/pilots/bad-ref.en.md:9:5: error: heading anchor `#resuts` not found in `countries/france` (did you mean `#results`?)",
    "content/pilots/bad-ref.en.md:9:48: error: linked page `pilots/nowhere` does not exist",
    "content/pilots/bad-yaml.en.md:4:18: error: front matter is not valid YAML: mapping values are not allowed in this context (a value that contains `: ` must be put in quotes)",
    "content/pilots/crlf.en.md:4:8: error: `nationl` is not an allowed value of `level` (did you mean `national`?); allowed: `local`, `national` or `european`",
    "content/pilots/deep.en.md:3:41: error: front matter is nested more than 32 levels deep: flatten it",
    "content/pilots/dup.md:1:1: error: page `pilots/dup` in language `en` is already defined by content/pilots/dup.en.md: keep one of the two files",
    "content/pilots/empty.en.md:1:1: error: file is empty: a page starts with front matter, e.g. `---`, `title: ...`, `---`",
    "content/pilots/huge.en.md:1:1: error: file is 11.0 MB; pages are limited to 10 MB: split it into several pages",
    "content/pilots/large-fm.en.md:2:1: error: front matter is 120 KB; the limit is 64 KB: move long text into the page body",
    "content/pilots/latin1.en.md:2:11: error: file is not valid UTF-8: byte 0xE9 at byte offset 14 cannot be read; save the file with UTF-8 encoding",
    "content/pilots/leak.en.md:1:1: warning: symbolic link leads outside the site folder; it was not followed (copy the file into the site instead)",
    "content/pilots/missing-required.en.md:4:1: error: required field `country` is missing: add `country: ...` with the id of a `country` page",
    "content/pilots/translated.de.md:1:1: error: language `de` in the file name is not declared in site.yaml; declared languages: en, fr (add `de` to `languages`, or rename the file)",
    "content/pilots/unclosed.en.md:1:1: error: front matter is not closed: add a line `---` after the last field, before the text of the page",
    "content/pilots/unknown-field.en.md:4:1: error: unknown field `levle` for a `pilot` page (did you mean `level`?)",
    "content/pilots/wrong-kind.en.md:3:10: error: country `pilots/bad-enum` is a `pilot` page, but `country` must point to a `country` page",
    "content/pilots/wrong-type.en.md:4:7: error: field `year` must be a whole number, but it is text",
    "content/pilots/wrong-type.en.md:5:9: error: field `active` must be `true` or `false`, but it is text",
    "content/pilots/wrong-type.en.md:6:10: error: field `started` must be a date written YYYY-MM-DD (e.g. 2019-05-14), but it is `14/05/2019`",
    "content/pilots/wrong-type.en.md:7:10: error: field `website` must be a full web address starting with https:// or http://, but it is `example.org`",
];

/// The expected lines on this platform (symbolic links are made on Unix only).
fn expected() -> Vec<&'static str> {
    EXPECTED.iter().copied().filter(|l| cfg!(unix) || !l.contains("leak.en.md")).collect()
}

#[test]
fn every_problem_is_reported_in_one_run_and_nothing_is_written() {
    let site = invalid_site();
    let run = site.run(&["build"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 1);
    assert_eq!(run.diagnostics(), expected());
    let warnings = usize::from(cfg!(unix));
    let errors = expected().len() - warnings;
    assert_eq!(
        run.summary(),
        format!(
            "error: {errors} errors, {warnings} warning{}; nothing was written",
            if warnings == 1 { "" } else { "s" }
        )
    );
    assert!(!site.exists("public"), "nothing may be written");
    let names: Vec<String> = std::fs::read_dir(site.root())
        .expect("root")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with('.')), "temporary folders left: {names:?}");
}

#[test]
fn check_reports_the_same_problems() {
    let site = invalid_site();
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.diagnostics(), expected());
}

#[test]
fn check_json_prints_one_object_per_problem() {
    let site = invalid_site();
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), expected().len());
    assert_eq!(
        lines[3],
        r#"{"file":"content/pilots/bad-enum.en.md","line":4,"column":8,"severity":"error","code":"unknown-value","message":"`nationl` is not an allowed value of `level` (did you mean `national`?); allowed: `local`, `national` or `european`"}"#
    );
    for line in lines {
        let v: serde_json::Value = serde_json::from_str(line).expect("valid JSON");
        for key in ["file", "line", "column", "severity", "code", "message"] {
            assert!(v.get(key).is_some(), "{key} missing in {line}");
        }
    }
}

#[test]
fn template_syntax_errors_name_the_template_and_line() {
    let site = TestSite::fixture("valid");
    site.write(
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ page.title }</h1>\n{% endblock main %}\n",
    );
    let run = site.run(&["build"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 1);
    assert_eq!(run.diagnostics().len(), 1, "{}", run.stderr);
    assert!(run.diagnostics()[0].starts_with("themes/default/templates/page.html:3:"), "{}", run.stderr);
    assert!(run.diagnostics()[0].contains(": error: template syntax error: "), "{}", run.stderr);
}

#[test]
fn template_render_errors_name_the_template_and_line() {
    let site = TestSite::fixture("valid");
    site.write(
        "themes/default/templates/section.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<p>\n{{ page.no_such_field }}\n</p>\n{% endblock main %}\n",
    );
    let run = site.run(&["build"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 1);
    assert_eq!(run.diagnostics().len(), 1, "one message, not one per page:\n{}", run.stderr);
    assert!(
        run.diagnostics()[0].starts_with(
            "themes/default/templates/section.html:4:9: error: template error: Field `no_such_field` is not defined"
        ),
        "{}",
        run.stderr
    );
    // Which file it was met in, and how many others.
    assert!(
        run.diagnostics()[0].ends_with(" (while making `en/countries/index.html` and 3 other files)"),
        "{}",
        run.stderr
    );

    // A template that fails on one page's data names that page (English, and French,
    // where its English text stands in).
    let site = TestSite::fixture("valid");
    let page = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/page.html"),
    )
    .expect("built-in template");
    site.write(
        "themes/default/templates/page.html",
        page.replacen(
            "{% block main %}",
            "{% block main %}{% if page.id == \"pilots/malaga\" %}{{ page.no_such_field }}{% endif %}",
            1,
        ),
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.diagnostics().len(), 1, "{}", run.stderr);
    assert!(
        run.diagnostics()[0].ends_with(" (while making `en/pilots/malaga/index.html` and one other file)"),
        "{}",
        run.stderr
    );
}

#[test]
fn site_yaml_problems_point_into_site_yaml() {
    let site = TestSite::fixture("valid");
    let yaml = site
        .read("site.yaml")
        .replace("kind: country, required: true", "kind: countri, required: true")
        .replace("type: int,", "type: integer,");
    site.write("site.yaml", yaml);
    let run = site.run(&["build"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.diagnostics(),
        [
            "site.yaml:23:35: error: field `country` refers to kind `countri`, which is not declared under `kinds` (did you mean `country`?)",
            "site.yaml:25:21: error: field `year` has unknown type `integer`; types are `string`, `int`, `date`, `bool`, `url`, `enum`, `list`, `ref` or `taxonomy`",
        ]
    );
}

#[test]
fn malformed_site_yaml_is_reported_with_its_line() {
    let site = TestSite::fixture("valid");
    site.write("site.yaml", "title: T\nlanguages: [en\n");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.diagnostics().len(), 1);
    assert!(run.diagnostics()[0].starts_with("site.yaml:3:1: error: not valid YAML: "), "{}", run.stderr);
}

#[test]
fn glossary_fields_must_be_fields_of_the_glossary_kind() {
    let site = TestSite::fixture("valid");
    let yaml = site.read("site.yaml")
        + "glossary:\n  kind: pilot\n  fields:\n    acronym: websit\n    variant: sources\n    expansion: sources\n";
    site.write("site.yaml", yaml);
    let run = site.run(&["check"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.diagnostics(),
        [
            "site.yaml:39:14: error: glossary field `websit` is not a field of kind `pilot` (did you mean `website`?)",
            "site.yaml:40:5: error: `glossary.fields` has no role `variant` (did you mean `variants`?); the roles are `acronym`, `variants`, `expansion` or `disambiguation`",
            // Where the editor chose the field, not where the field is declared.
            "site.yaml:41:16: error: field `sources` of kind `pilot` is the glossary's `expansion`, so it must be text (`type: string`), but it is a list of texts",
        ]
    );
}

/// One field cannot play two roles, whether both are named or one by its default name.
#[test]
fn a_glossary_field_has_one_role() {
    let site = TestSite::fixture("knowledge");
    let yaml = site.read("site.yaml");
    let at = yaml.find("glossary:\n").expect("glossary");
    let end = yaml[at..].find("\n\n").map_or(yaml.len(), |e| at + e);
    let block = &yaml[at..end];
    let kind_line = block.lines().find(|l| l.trim_start().starts_with("kind:")).expect("kind line");
    let fields = format!("{kind_line}\n  fields: {{ acronym: expansion, variants: acronym, expansion: acronym }}");
    site.write("site.yaml", yaml.replacen(kind_line, &fields, 1));
    let run = site.run(&["check"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let messages: Vec<&str> = run.diagnostics().into_iter().map(|d| d.split(": error: ").nth(1).unwrap_or(d)).collect();
    assert!(
        messages.contains(&"field `acronym` is already the glossary's `variants`: give each role a field of its own"),
        "{}",
        run.stderr
    );
    let site = TestSite::fixture("knowledge");
    let yaml = site.read("site.yaml");
    let fields = format!("{kind_line}\n  fields: {{ acronym: expansion }}");
    site.write("site.yaml", yaml.replacen(kind_line, &fields, 1));
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("error: field `expansion` is the glossary's `expansion` by its name: give `acronym` another field, or name the `expansion` field as well"),
        "{}",
        run.stderr
    );
}

/// A root page may not take an address the generated pages use in every language: the
/// segments the page families declare (`search`, `print`) and those of the site's files
/// and `serve` (`static`, `api`).
#[test]
fn root_pages_cannot_take_reserved_addresses() {
    let site = TestSite::fixture("valid");
    for slug in ["search", "print", "static", "api", "atlas"] {
        site.write(&format!("content/{slug}.en.md"), format!("---\ntitle: {slug}\n---\nText.\n"));
    }
    let run = site.run(&["check"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.diagnostics(),
        [
            "content/api.en.md:1:1: error: `api` is a reserved address in every language: rename the file",
            "content/print.en.md:1:1: error: `print` is a reserved address in every language: rename the file",
            "content/search.en.md:1:1: error: `search` is a reserved address in every language: rename the file",
            "content/static.en.md:1:1: error: `static` is a reserved address in every language: rename the file",
        ]
    );
}

/// A reference to a draft names the fixes, the command line's flag among them (the
/// library's message names no flag: `main.rs` adds it).
#[test]
fn a_reference_to_a_draft_names_the_drafts_flag() {
    let site = TestSite::fixture("valid");
    site.write("content/countries/spain.en.md", "---\ntitle: Spain\niso: ES\ndraft: true\n---\nText.\n");
    let run = site.run(&["check"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 1);
    let fix =
        "is a draft, which is not built: remove `draft: true` from it, build with `--drafts`, or remove the reference";
    assert_eq!(
        run.diagnostics(),
        [
            format!("content/pilots/avignon.en.md:7:14: error: neighbours `countries/spain` {fix}"),
            format!("content/pilots/avignon.en.md:43:39: error: linked page `countries/spain` {fix}"),
            format!("content/pilots/malaga.md:4:10: error: country `countries/spain` {fix}"),
        ]
    );
    let run = site.run(&["check", "--drafts"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// A section or taxonomy is published at `<lang>/<name>/`: a reserved name is refused at
/// its key in site.yaml.
#[test]
fn sections_and_taxonomies_cannot_take_reserved_addresses() {
    let site = TestSite::fixture("valid");
    let yaml = site
        .read("site.yaml")
        .replace("sections:\n", "sections:\n  search: { kind: country, weight: 9 }\n")
        .replace("taxonomies:\n", "taxonomies:\n  print: { terms: [a] }\n  api: { terms: [b] }\n");
    site.write("site.yaml", yaml);
    let run = site.run(&["check"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.diagnostics(),
        [
            "site.yaml:7:3: error: section `search` would take `search/`, an address reserved in every language: rename the section",
            "site.yaml:34:3: error: taxonomy `print` would take `print/`, an address reserved in every language: rename the taxonomy",
            "site.yaml:35:3: error: taxonomy `api` would take `api/`, an address reserved in every language: rename the taxonomy",
        ]
    );
}

/// A translation whose original is a draft says so, rather than that the original does
/// not exist, and says what readers get: the translations are published, and the first
/// one stands in for the draft in the languages that have none (it was said that each
/// translation was shown in every language).
#[test]
fn a_translation_of_a_draft_says_its_original_is_a_draft() {
    let site = TestSite::fixture("valid");
    let original = site.read("content/pilots/avignon.en.md").replacen("---\n", "---\ndraft: true\n", 1);
    site.write("content/pilots/avignon.en.md", original);
    let run = site.run(&["check"]);
    assert_no_panic(&run);
    assert_eq!(
        run.diagnostics(),
        ["content/pilots/avignon.fr.md:1:1: warning: translation has no original: content/pilots/avignon.en.md is a draft, which is not built, yet this `fr` page is published, and readers of `en` get it in place of the original: remove `draft: true` from content/pilots/avignon.en.md to publish the original, or add `draft: true` to this file to leave the page out in every language"]
    );
    let yaml = site.read("site.yaml").replacen("languages: [en, fr]", "languages: [en, fr, de, es]", 1);
    site.write("site.yaml", yaml);
    site.write("content/pilots/avignon.de.md", site.read("content/pilots/avignon.fr.md"));
    let run = site.run(&["build"]);
    assert_no_panic(&run);
    assert_eq!(
        run.diagnostics(),
        [
            "content/pilots/avignon.de.md:1:1: warning: translation has no original: content/pilots/avignon.en.md is a draft, which is not built, yet this `de` page is published, and readers of `en` and `es` get content/pilots/avignon.fr.md in place of the original: remove `draft: true` from content/pilots/avignon.en.md to publish the original, or add `draft: true` to this file and content/pilots/avignon.fr.md to leave the page out in every language",
            "content/pilots/avignon.fr.md:1:1: warning: translation has no original: content/pilots/avignon.en.md is a draft, which is not built, yet this `fr` page is published, and readers of `en` and `es` get it in place of the original: remove `draft: true` from content/pilots/avignon.en.md to publish the original, or add `draft: true` to this file and content/pilots/avignon.de.md to leave the page out in every language",
        ]
    );
    // What the warnings say readers get.
    let title = |lang: &str| {
        let html = site.read(&format!("public/{lang}/pilots/avignon/index.html"));
        html.split("<title>").nth(1).and_then(|t| t.split(" · ").next()).unwrap_or_default().to_string()
    };
    let fr_title = title("fr");
    assert_eq!([title("en"), title("es")], [fr_title.clone(), fr_title]);
    assert!(site.exists("public/de/pilots/avignon/index.html"));
}

/// Deleting an original that has translations: each translation gets one warning, naming
/// the missing file, what readers see meanwhile and the mend (restore the original: a
/// translation made the original would put its text in the default language); no warning
/// that assumes an original (a stale hash, or `translated_from` in an original). Every
/// reference to the page is an error: the default language would show a translation.
#[test]
fn translations_of_a_deleted_original_get_one_warning_each() {
    let site = TestSite::fixture("valid");
    let yaml = site.read("site.yaml").replacen("languages: [en, fr]", "languages: [en, fr, de]", 1);
    site.write("site.yaml", yaml);
    let fr = site.read("content/pilots/avignon.fr.md").replacen("---\n", "---\ntranslated_from: abcdef0123\n", 1);
    site.write("content/pilots/avignon.fr.md", &fr);
    site.write("content/pilots/avignon.de.md", fr.replacen("title: ", "title: \"Avignon (de)\"\n# ", 1));
    site.remove("content/pilots/avignon.en.md");
    let run = site.run(&["check"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lost = "has lost its original: content/pilots/avignon.en.md does not exist, so readers of every language without a translation of their own would get the translation content/pilots/avignon.fr.md: restore content/pilots/avignon.en.md (rename the moved original back); if the page moved to another id, point this reference there; if it was deleted on purpose, remove this reference";
    let mend = "restore content/pilots/avignon.en.md (rename the moved original back), or delete this translation";
    assert_eq!(
        run.diagnostics(),
        [
            format!("content/_index.en.md:6:12: error: linked page `pilots/avignon` {lost}"),
            format!("content/_index.fr.md:5:15: error: linked page `pilots/avignon` {lost}"),
            format!("content/pilots/avignon.de.md:2:18: warning: the original of this translation, content/pilots/avignon.en.md, does not exist, so languages without a translation of their own show content/pilots/avignon.fr.md instead: {mend}"),
            format!("content/pilots/avignon.fr.md:2:18: warning: the original of this translation, content/pilots/avignon.en.md, does not exist, so this `fr` page is shown in every language without a translation of its own: {mend}"),
        ]
    );
}

/// A lost original named only by `site.yaml`'s menu or footer: each entry is an error
/// at its line, as a reference in a page is (every reader's menu would show the
/// translation's title).
#[test]
fn a_lost_original_in_the_menu_or_footer_is_an_error_at_the_entry() {
    let site = TestSite::fixture("valid");
    let fr = site.read("content/pilots/avignon.fr.md").replacen("---\n", "---\ntranslated_from: abcdef0123\n", 1);
    site.write("content/pilots/avignon.fr.md", &fr);
    site.remove("content/pilots/avignon.en.md");
    for file in ["content/_index.en.md", "content/_index.fr.md"] {
        let text = site.read(file).replace("(@/pilots/avignon.md)", "(@/countries/france.md)");
        site.write(file, text);
    }
    let yaml = site.read("site.yaml");
    site.write("site.yaml", format!("{yaml}menu:\n  - label: About\n    pages:\n      - page: pilots/avignon\nfooter:\n  - page: pilots/avignon\n"));
    let lines = yaml.lines().count();
    let run = site.run(&["check"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lost = "`pilots/avignon` has lost its original: content/pilots/avignon.en.md does not exist, so readers of every language without a translation of their own would get the translation content/pilots/avignon.fr.md: restore content/pilots/avignon.en.md (rename the moved original back); if the page moved to another id, point this reference there; if it was deleted on purpose, remove this reference";
    let errors: Vec<&str> = run.diagnostics().into_iter().filter(|d| d.contains(": error: ")).collect();
    assert_eq!(
        errors,
        [
            format!("site.yaml:{}:9: error: the `menu:` entry for page {lost}", lines + 4),
            format!("site.yaml:{}:5: error: the `footer:` entry for page {lost}", lines + 6),
        ]
    );
}

/// An original renamed (its id changed) while its translation stays: the file that has
/// the text the translation's `translated_from` names is taken for the moved original and
/// named in the fix, at every reference (front matter and body) and in the translation's
/// warning.
#[test]
fn a_moved_original_is_named_at_every_reference() {
    let site = TestSite::fixture("valid");
    let run = site.run(&["check", "--translations"]);
    let hash = run
        .stdout
        .lines()
        .find(|l| l.contains("content/pilots/avignon.en.md"))
        .and_then(|l| l.rsplit(' ').next())
        .expect("hash")
        .to_string();
    let fr = site.read("content/pilots/avignon.fr.md").replacen("---\n", &format!("---\ntranslated_from: {hash}\n"), 1);
    site.write("content/pilots/avignon.fr.md", fr);
    site.write(
        "content/pilots/lyon.en.md",
        "---\ntitle: Lyon\ncountry: countries/france\nsee_also: pilots/avignon\n---\n\nText.\n",
    );
    let yaml = site.read("site.yaml").replacen(
        "      year: {",
        "      see_also: { type: ref, kind: pilot }\n      year: {",
        1,
    );
    site.write("site.yaml", yaml);
    std::fs::rename(site.path("content/pilots/avignon.en.md"), site.path("content/pilots/avignon-2019.en.md"))
        .expect("rename");
    let run = site.run(&["check"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lost = "has lost its original: content/pilots/avignon.en.md does not exist, so readers of every language without a translation of their own would get the translation content/pilots/avignon.fr.md; content/pilots/avignon-2019.en.md has the original's text (the hash `translated_from` names), so it seems to have been moved: rename it back to content/pilots/avignon.en.md, or point this reference to `pilots/avignon-2019` and rename the translations to match";
    assert_eq!(
        run.diagnostics(),
        [
            format!("content/_index.en.md:6:12: error: linked page `pilots/avignon` {lost}"),
            format!("content/_index.fr.md:5:15: error: linked page `pilots/avignon` {lost}"),
            "content/pilots/avignon.fr.md:2:18: warning: the original of this translation, content/pilots/avignon.en.md, does not exist, so this `fr` page is shown in every language without a translation of its own; content/pilots/avignon-2019.en.md has the text `translated_from` names, so the original seems to have been moved: rename it back to content/pilots/avignon.en.md, or rename this translation to match `pilots/avignon-2019`".to_string(),
            format!("content/pilots/lyon.en.md:4:11: error: see_also `pilots/avignon` {lost}"),
        ]
    );
}

/// A page written in French only (no `translated_from`, no English file) is not a lost
/// original: pages may refer to it, and it is shown in every language, with one warning.
#[test]
fn a_page_written_only_in_another_language_may_be_referred_to() {
    let site = TestSite::fixture("valid");
    site.remove("content/pilots/avignon.en.md");
    let run = site.run(&["check"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.diagnostics(),
        ["content/pilots/avignon.fr.md:1:1: warning: the original of this translation, content/pilots/avignon.en.md, does not exist, so this `fr` page is shown in every language without a translation of its own: add content/pilots/avignon.en.md, or make this page the original: rename it to content/pilots/avignon.en.md"]
    );
}

/// An original that cannot be read (saved as UTF-16) while translations remain: its own
/// error only, which is the one to mend (an error at every reference to the page would
/// bury it); its translations are not told to change `translated_from` (as if the first of
/// them were the original now), nor that their facts differ from the one standing in.
#[test]
fn an_unreadable_original_is_the_only_error() {
    let site = TestSite::fixture("valid");
    let yaml = site.read("site.yaml").replacen("languages: [en, fr]", "languages: [en, fr, de]", 1);
    site.write("site.yaml", yaml);
    let fr = site.read("content/pilots/avignon.fr.md").replacen("---\n", "---\ntranslated_from: abcdef0123\n", 1);
    site.write("content/pilots/avignon.fr.md", &fr);
    // The German one writes a fact that the French one, standing in, does not have.
    site.write("content/pilots/avignon.de.md", fr.replacen("country:", "year: 2019\ncountry:", 1));
    let en = site.read("content/pilots/avignon.en.md");
    let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain(en.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    site.write("content/pilots/avignon.en.md", utf16);
    let run = site.run(&["check"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.diagnostics(),
        ["content/pilots/avignon.en.md:1:1: error: file is saved as UTF-16, which guidebook does not read: save it with UTF-8 encoding"]
    );
}

/// A translation whose original exists but cannot be read gets the original's error only,
/// not a warning that the original does not exist.
#[test]
fn a_translation_of_a_broken_original_is_not_called_an_orphan() {
    let site = TestSite::fixture("valid");
    let original = site.read("content/pilots/avignon.en.md").replacen("---\n", "---\ntitle: [unclosed\n", 1);
    site.write("content/pilots/avignon.en.md", original);
    let run = site.run(&["check"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 1);
    let lines = run.diagnostics();
    assert!(lines.iter().all(|l| !l.contains("the original of this translation")), "{}", run.stderr);
    assert!(lines.iter().any(|l| l.starts_with("content/pilots/avignon.en.md:")), "{}", run.stderr);
}

/// `text` as Windows' Notepad writes "Unicode": UTF-16, little-endian, with a byte-order mark.
fn utf16_with_bom(text: &str) -> Vec<u8> {
    [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect()
}

/// `site.yaml` saved as UTF-16 is named as such, with the fix, like a page (it was "stream
/// did not contain valid UTF-8", with no file nor fix).
#[test]
fn a_site_yaml_saved_as_utf16_says_so() {
    let site = TestSite::fixture("valid");
    site.write("site.yaml", utf16_with_bom(&site.read("site.yaml")));
    let run = site.run(&["check"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.diagnostics(),
        ["site.yaml:1:1: error: file is saved as UTF-16, which guidebook does not read: save it with UTF-8 encoding"]
    );
    let run = site.run(&["new", "pilot", "lyon"]);
    assert_eq!(run.stderr, "error: site.yaml has errors: run `guidebook check` to see them\n");
}

/// An interface file and a template saved as UTF-16 are named as such, with the fix.
#[test]
fn an_i18n_file_or_a_template_saved_as_utf16_says_so() {
    let site = TestSite::fixture("multilingual");
    site.write("i18n/fr.yaml", utf16_with_bom(&site.read("i18n/fr.yaml")));
    let template = "themes/default/templates/section.html";
    site.write(template, utf16_with_bom(&site.read(template)));
    let run = site.run(&["check"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let errors: Vec<&str> = run.diagnostics().into_iter().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(
        errors,
        [
            "i18n/fr.yaml:1:1: error: file is saved as UTF-16, which guidebook does not read: save it with UTF-8 encoding",
            "themes/default/templates/section.html:1:1: error: file is saved as UTF-16, which guidebook does not read: save it with UTF-8 encoding",
        ]
    );
}

/// A page saved as UTF-16 without a byte-order mark (little- or big-endian) is named as
/// UTF-16 too, not as a bad UTF-8 byte.
#[test]
fn a_page_saved_as_utf16_without_a_byte_order_mark_says_so() {
    let site = TestSite::fixture("valid");
    let page = site.read("content/pilots/avignon.en.md").replacen("---\n", "---\nsummary: Café\n", 1);
    site.write("content/pilots/avignon.en.md", page.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>());
    site.write("content/pilots/lyon.en.md", page.encode_utf16().flat_map(u16::to_be_bytes).collect::<Vec<u8>>());
    let run = site.run(&["check"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.diagnostics(),
        [
            "content/pilots/avignon.en.md:1:1: error: file is saved as UTF-16, which guidebook does not read: save it with UTF-8 encoding",
            "content/pilots/lyon.en.md:1:1: error: file is saved as UTF-16, which guidebook does not read: save it with UTF-8 encoding",
        ]
    );
}
