//! Derived files kept inside the cache (`<git dir>/agb-index/`), so that warm reads of a large
//! factory do not parse all of catalog.json or walk every module folder again:
//!
//! - `catalog-<blob id>`: catalog.json's entries, one line per module, for `check` (one entry,
//!   found by a substring search instead of a parse of the whole file);
//! - `listing-<catalog blob id>-<modules/ tree id>`: what `catalog` lists (every module of the
//!   tree with its versions and description, and how many places disagree).
//!
//! Both are named after git object ids, so they can never be stale: a fetch that changes
//! catalog.json or modules/ changes the ids, and the next read builds a new file (replacing the
//! old one). A file that cannot be read or parsed is ignored and rebuilt; one that cannot be
//! written is simply not kept (a read-only cache still answers). Writes go to a temp file renamed
//! into place, so a reader never sees half a file.
//!
//! Not here: where the ids come from (`read.rs`).

use std::path::Path;

use crate::factory::catalog::{self, Catalog, CatalogEntry, ModuleIndex};

/// The directory of the derived files inside the cache's git dir.
pub const DIR: &str = "agb-index";
/// The first line of every file: a new format gets a new header, and old files read as missing.
const CATALOG_HEADER: &str = "agb catalog index 1";
const LISTING_HEADER: &str = "agb listing 1";

/// One module as `catalog` lists it: the tree's versions (ascending) and the description from
/// catalog.json.
#[derive(Debug, Clone, PartialEq)]
pub struct ListedModule {
    pub path: String,
    pub versions: Vec<String>,
    pub description: Option<String>,
}

/// What `catalog` lists, whether built from the tree and catalog.json or read back from its file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Listing {
    pub version: Option<String>,
    pub last_updated: Option<String>,
    /// How many places catalog.json and the tree disagree (`lint` lists them).
    pub mismatches: usize,
    /// Every module folder of the tree, sorted by path (some may have no version).
    pub modules: Vec<ListedModule>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct ListingHead {
    version: Option<String>,
    last_updated: Option<String>,
    mismatches: usize,
}

impl Listing {
    /// The listing of `index`, with descriptions from `catalog`.
    pub fn build(catalog: &Catalog, index: &ModuleIndex, mismatches: usize) -> Self {
        let modules = index
            .modules
            .iter()
            .map(|(m, versions)| ListedModule {
                path: m.to_string(),
                versions: versions.iter().map(ToString::to_string).collect(),
                description: catalog.description(m).map(str::to_string),
            })
            .collect();
        Listing {
            version: catalog.version.clone(),
            last_updated: catalog.last_updated.clone(),
            mismatches,
            modules,
        }
    }

    /// The file's text: the header, the head as JSON, then `path<TAB>v1,v2<TAB>description JSON`
    /// per module. Module paths and semver versions hold no tab, comma or newline; the
    /// description is JSON-escaped.
    pub fn to_text(&self) -> String {
        let head = ListingHead {
            version: self.version.clone(),
            last_updated: self.last_updated.clone(),
            mismatches: self.mismatches,
        };
        let mut out = format!("{LISTING_HEADER}\n{}\n", json_line(&head));
        for m in &self.modules {
            out.push_str(&format!("{}\t{}\t{}\n", m.path, m.versions.join(","), json_line(&m.description)));
        }
        out
    }

    /// The listing read back from [`Listing::to_text`]; `None` when the text is not one.
    pub fn from_text(text: &str) -> Option<Self> {
        let mut lines = text.lines();
        if lines.next()? != LISTING_HEADER {
            return None;
        }
        let head: ListingHead = serde_json::from_str(lines.next()?).ok()?;
        let mut modules = Vec::new();
        for line in lines {
            let mut fields = line.splitn(3, '\t');
            let (path, versions, description) = (fields.next()?, fields.next()?, fields.next()?);
            modules.push(ListedModule {
                path: path.to_string(),
                versions: versions.split(',').filter(|v| !v.is_empty()).map(str::to_string).collect(),
                description: serde_json::from_str(description).ok()?,
            });
        }
        Some(Listing {
            version: head.version,
            last_updated: head.last_updated,
            mismatches: head.mismatches,
            modules,
        })
    }
}

fn json_line<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("strings and numbers always serialize")
}

/// catalog.json's entries as one line each: `"<key as JSON>"<TAB><entry as JSON>`. A raw tab
/// never occurs inside JSON text (it is escaped), so the first tab ends the key.
pub fn catalog_index_text(catalog: &Catalog) -> String {
    let mut out = format!("{CATALOG_HEADER}\n");
    for (key, entry) in &catalog.modules {
        out.push_str(&format!("{}\t{}\n", json_line(key), json_line(entry)));
    }
    out
}

/// One module's entry from [`catalog_index_text`]: `Some(None)` when catalog.json does not list
/// it, `None` when the text is not an index (read catalog.json instead).
pub fn lookup_entry(text: &str, module: &str) -> Option<Option<CatalogEntry>> {
    let body = text.strip_prefix(CATALOG_HEADER)?.strip_prefix('\n')?;
    // catalog.json keeps the last of duplicate keys; so does this search (from the end)
    let needle = format!("{}\t", json_line(&module));
    let mut at = None;
    let mut from = 0;
    while let Some(i) = body[from..].find(&needle) {
        let i = from + i;
        if i == 0 || body.as_bytes()[i - 1] == b'\n' {
            at = Some(i);
        }
        from = i + needle.len();
    }
    let Some(i) = at else { return Some(None) };
    let rest = &body[i + needle.len()..];
    let line = rest.split('\n').next().unwrap_or_default();
    serde_json::from_str(line).ok().map(Some)
}

/// The count `catalog` warns about.
pub fn mismatch_count(catalog: &Catalog, index: &ModuleIndex) -> usize {
    catalog::compare(catalog, index).len()
}

/// The text of a derived file, if it exists and is readable.
pub fn read(git_dir: &Path, name: &str) -> Option<String> {
    std::fs::read_to_string(git_dir.join(DIR).join(name)).ok()
}

/// Keep `text` as `name`, replacing the other files of the same kind (`<kind>-…`) and removing
/// the temp files of agb processes killed while writing here (readers take no lock, so only a
/// temp file whose process is gone is removed). Failures are ignored: the file only saves time.
pub fn write(git_dir: &Path, name: &str, text: &str) {
    let dir = git_dir.join(DIR);
    let path = dir.join(name);
    let written = std::fs::create_dir_all(&dir).is_ok()
        && crate::fsutil::write_atomic_unsynced(&path, text.as_bytes()).is_ok();
    if !written {
        return;
    }
    crate::fsutil::remove_stale_temp_files(&dir);
    let kind = name.split('-').next().unwrap_or(name);
    let Ok(entries) = std::fs::read_dir(&dir) else { return };
    for e in entries.flatten() {
        let file = e.file_name();
        let file = file.to_string_lossy();
        if file != name && file.strip_prefix(kind).is_some_and(|r| r.starts_with('-')) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::factory::ModulePath;
    use semver::Version;

    const CATALOG: &str = r#"{ "version": "1.0.0", "last_updated": "2025-01-28T10:00:00Z",
      "modules": {
        "aws/networking/vpc": { "latest": "1.2.0", "versions": ["1.0.0", "1.2.0"], "description": "VPC\twith\ttabs\nand a newline" },
        "aws/networking/vpc-x": { "latest": "0.1.0", "versions": ["0.1.0"] },
        "odd\tkey\"": { "versions": [] } } }"#;

    #[test]
    fn one_entry_is_found_by_its_whole_key_only() {
        let catalog = Catalog::parse(CATALOG.as_bytes(), "catalog.json").unwrap();
        let text = catalog_index_text(&catalog);
        let e = lookup_entry(&text, "aws/networking/vpc").unwrap().unwrap();
        assert_eq!(e, catalog.modules["aws/networking/vpc"]);
        assert_eq!(
            lookup_entry(&text, "aws/networking/vpc-x").unwrap().unwrap().latest.as_deref(),
            Some("0.1.0")
        );
        assert_eq!(lookup_entry(&text, "networking/vpc").unwrap(), None);
        assert_eq!(lookup_entry(&text, "aws/networking").unwrap(), None);
        assert_eq!(lookup_entry(&text, "odd\tkey\"").unwrap().unwrap().versions, Vec::<String>::new());
        assert_eq!(lookup_entry("not an index", "aws/networking/vpc"), None);
    }

    #[test]
    fn a_listing_reads_back_as_written() {
        let catalog = Catalog::parse(CATALOG.as_bytes(), "catalog.json").unwrap();
        let mut index = ModuleIndex::default();
        let vpc = ModulePath::new("aws/networking/vpc").unwrap();
        index.modules.insert(vpc, vec![Version::new(1, 0, 0), Version::parse("1.2.0-rc.1+b.2").unwrap()]);
        index.modules.insert(ModulePath::new("gcp/compute/vm").unwrap(), vec![]);
        let listing = Listing::build(&catalog, &index, mismatch_count(&catalog, &index));
        // vpc: 1.2.0 has no folder, the rc is not listed, latest is wrong; vpc-x, the odd key, vm
        assert_eq!(listing.mismatches, 6);
        assert_eq!(Listing::from_text(&listing.to_text()), Some(listing.clone()));
        assert_eq!(listing.modules[0].description.as_deref(), Some("VPC\twith\ttabs\nand a newline"));
        assert_eq!(Listing::from_text("agb listing 0\n{}\n"), None);
        assert_eq!(Listing::from_text("agb listing 1\n{\"mismatches\":0}\nno-tabs\n"), None);
    }

    #[test]
    fn writing_keeps_one_file_of_each_kind() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "catalog-aaa", "one");
        write(dir.path(), "listing-aaa-bbb", "two");
        write(dir.path(), "catalog-ccc", "three");
        assert_eq!(read(dir.path(), "catalog-aaa"), None);
        assert_eq!(read(dir.path(), "catalog-ccc").as_deref(), Some("three"));
        assert_eq!(read(dir.path(), "listing-aaa-bbb").as_deref(), Some("two"));
    }

    #[test]
    fn writing_removes_what_a_killed_writer_left() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "catalog-aaa", "one");
        // A pid above any pid_max: a process that is gone.
        let left = dir.path().join(DIR).join(".agb-tmp-999999999-AbC123");
        std::fs::write(&left, "half a listing").unwrap();
        write(dir.path(), "listing-aaa-bbb", "two");
        assert!(!left.exists());
        let names: Vec<_> =
            std::fs::read_dir(dir.path().join(DIR)).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }
}
