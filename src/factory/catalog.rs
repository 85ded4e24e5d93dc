//! `catalog.json` (SPEC §2.2) and the module index read from the tree, plus the pure comparison
//! of the two. The tree is the truth: [`ModuleIndex`] is what exists; the catalog only adds
//! descriptions, and every disagreement is a [`Mismatch`] that readers warn about and `lint`
//! reports.
//!
//! Not here: reading git objects (that is `cache.rs`).

use std::collections::BTreeMap;

use indexmap::IndexMap;
use semver::Version;

use super::module::{parse_version, ModulePath};

/// Errors of this module.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum CatalogError {
    #[error("{path} is not valid JSON: {message}")]
    #[diagnostic(
        code(agb::factory::catalog::invalid),
        help("fix catalog.json in the factory repository (`agb factory lint` lists its problems)")
    )]
    Invalid { path: String, message: String },
}

/// `catalog.json` as written. Unknown keys are kept (`extra`) so a rewrite (publish) changes
/// only what it means to.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Catalog {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated: Option<String>,
    #[serde(default)]
    pub modules: IndexMap<String, CatalogEntry>,
    #[serde(flatten)]
    pub extra: IndexMap<String, serde_json::Value>,
}

/// One module of `catalog.json`.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CatalogEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest: Option<String>,
    #[serde(default)]
    pub versions: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(flatten)]
    pub extra: IndexMap<String, serde_json::Value>,
}

impl Catalog {
    pub fn parse(bytes: &[u8], path: &str) -> Result<Self, CatalogError> {
        serde_json::from_slice(bytes)
            .map_err(|e| CatalogError::Invalid { path: path.to_string(), message: e.to_string() })
    }

    /// One module's entry, without building the whole catalog: the other modules are skipped
    /// (still validated as JSON). `check` reads only this, which keeps a warm `check` close to a
    /// single `git show`.
    pub fn entry_from_slice(
        bytes: &[u8],
        path: &str,
        module: &str,
    ) -> Result<Option<CatalogEntry>, CatalogError> {
        use serde::de::DeserializeSeed;
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let found = TopSeed(module)
            .deserialize(&mut de)
            .and_then(|found| de.end().map(|()| found))
            .map_err(|e| CatalogError::Invalid { path: path.to_string(), message: e.to_string() })?;
        Ok(found)
    }

    pub fn description(&self, module: &ModulePath) -> Option<&str> {
        self.modules.get(module.as_str()).and_then(|e| e.description.as_deref())
    }
}

/// The top-level object of catalog.json, looking only into `modules`.
struct TopSeed<'a>(&'a str);

impl<'de> serde::de::DeserializeSeed<'de> for TopSeed<'_> {
    type Value = Option<CatalogEntry>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for TopSeed<'_> {
    type Value = Option<CatalogEntry>;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a catalog.json object")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "modules" {
                found = map.next_value_seed(ModulesSeed(self.0))?;
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// The `modules` object, deserializing only the wanted entry.
struct ModulesSeed<'a>(&'a str);

impl<'de> serde::de::DeserializeSeed<'de> for ModulesSeed<'_> {
    type Value = Option<CatalogEntry>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for ModulesSeed<'_> {
    type Value = Option<CatalogEntry>;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object of modules")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == self.0 {
                found = Some(map.next_value::<CatalogEntry>()?);
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// What the tree holds under `modules/`: every valid module path with its versions (ascending,
/// semver order), and every entry that does not fit the layout.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModuleIndex {
    pub modules: BTreeMap<ModulePath, Vec<Version>>,
    /// Paths (relative to the repository root) that are not `<p>/<c>/<n>/v<semver>` folders.
    pub stray: Vec<String>,
}

impl ModuleIndex {
    pub fn versions(&self, module: &ModulePath) -> Option<&[Version]> {
        self.modules.get(module).map(Vec::as_slice)
    }

    pub fn latest(&self, module: &ModulePath) -> Option<&Version> {
        self.modules.get(module).and_then(|v| v.last())
    }
}

/// One disagreement between catalog.json and the tree (or inside catalog.json).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mismatch {
    /// A module folder the catalog does not list.
    ModuleNotInCatalog { module: String },
    /// A catalog module with no folder in the tree.
    ModuleNotInTree { module: String },
    /// A version folder the catalog does not list.
    VersionNotInCatalog { module: String, version: String },
    /// A catalog version with no folder in the tree.
    VersionNotInTree { module: String, version: String },
    /// `latest` is not the highest version in the tree.
    WrongLatest { module: String, catalog: String, tree: String },
    /// A catalog key or version that is not a valid module path / semver.
    InvalidEntry { module: String, reason: String },
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Mismatch::ModuleNotInCatalog { module } => {
                write!(f, "{module}: in modules/ but not in catalog.json")
            }
            Mismatch::ModuleNotInTree { module } => {
                write!(f, "{module}: in catalog.json but has no folder in modules/")
            }
            Mismatch::VersionNotInCatalog { module, version } => {
                write!(f, "{module}@{version}: folder exists but catalog.json does not list the version")
            }
            Mismatch::VersionNotInTree { module, version } => {
                write!(f, "{module}@{version}: listed in catalog.json but has no folder")
            }
            Mismatch::WrongLatest { module, catalog, tree } => {
                write!(
                    f,
                    "{module}: catalog.json says latest {catalog}, the tree's highest version is {tree}"
                )
            }
            Mismatch::InvalidEntry { module, reason } => write!(f, "{module}: {reason}"),
        }
    }
}

/// Compare one module's catalog entry with its versions in the tree (`None`: not in the tree).
pub fn compare_module(module: &str, entry: Option<&CatalogEntry>, tree: Option<&[Version]>) -> Vec<Mismatch> {
    let mut out = Vec::new();
    let (entry, tree) = match (entry, tree) {
        (None, None) => return out,
        (None, Some(_)) => {
            out.push(Mismatch::ModuleNotInCatalog { module: module.to_string() });
            return out;
        }
        (Some(_), None) => {
            out.push(Mismatch::ModuleNotInTree { module: module.to_string() });
            return out;
        }
        (Some(e), Some(t)) => (e, t),
    };
    let mut listed: Vec<Version> = Vec::new();
    for v in &entry.versions {
        match parse_version(v) {
            Ok(v) => listed.push(v),
            Err(_) => out.push(Mismatch::InvalidEntry {
                module: module.to_string(),
                reason: format!("catalog version {v:?} is not semver"),
            }),
        }
    }
    for v in tree {
        if !listed.contains(v) {
            out.push(Mismatch::VersionNotInCatalog { module: module.to_string(), version: v.to_string() });
        }
    }
    for v in &listed {
        if !tree.contains(v) {
            out.push(Mismatch::VersionNotInTree { module: module.to_string(), version: v.to_string() });
        }
    }
    if let (Some(latest), Some(max)) = (&entry.latest, tree.iter().max()) {
        match parse_version(latest) {
            Ok(l) if &l == max => {}
            Ok(_) => out.push(Mismatch::WrongLatest {
                module: module.to_string(),
                catalog: latest.clone(),
                tree: max.to_string(),
            }),
            Err(_) => out.push(Mismatch::InvalidEntry {
                module: module.to_string(),
                reason: format!("catalog latest {latest:?} is not semver"),
            }),
        }
    }
    out
}

/// Every disagreement between the catalog and the tree, sorted.
pub fn compare(catalog: &Catalog, index: &ModuleIndex) -> Vec<Mismatch> {
    let mut out = Vec::new();
    for (key, entry) in &catalog.modules {
        match ModulePath::new(key) {
            Ok(m) => out.extend(compare_module(key, Some(entry), index.versions(&m))),
            Err(_) => out.push(Mismatch::InvalidEntry {
                module: key.clone(),
                reason: "not a valid module path <provider>/<category>/<name>".to_string(),
            }),
        }
    }
    for m in index.modules.keys() {
        if !catalog.modules.contains_key(m.as_str()) {
            out.push(Mismatch::ModuleNotInCatalog { module: m.to_string() });
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    const CATALOG: &str = r#"{ "version": "1.0.0", "last_updated": "2025-01-28T10:00:00Z", "owner": "team",
      "modules": { "aws/networking/vpc": { "latest": "1.2.0", "versions": ["1.0.0", "1.1.0", "1.2.0"],
                   "description": "VPC production-ready", "tags": ["net"] } } }"#;

    #[test]
    fn parse_keeps_unknown_keys_and_order() {
        let c = Catalog::parse(CATALOG.as_bytes(), "catalog.json").unwrap();
        assert_eq!(c.extra.get("owner"), Some(&serde_json::json!("team")));
        let e = &c.modules["aws/networking/vpc"];
        assert_eq!(e.extra.get("tags"), Some(&serde_json::json!(["net"])));
        let back = serde_json::to_value(&c).unwrap();
        assert_eq!(back["modules"]["aws/networking/vpc"]["tags"], serde_json::json!(["net"]));
        assert!(Catalog::parse(b"{ nope", "catalog.json").is_err());
    }

    #[test]
    fn one_entry_is_read_without_the_rest() {
        let e = Catalog::entry_from_slice(CATALOG.as_bytes(), "c", "aws/networking/vpc").unwrap().unwrap();
        assert_eq!(e.latest.as_deref(), Some("1.2.0"));
        assert_eq!(e.versions.len(), 3);
        assert_eq!(Catalog::entry_from_slice(CATALOG.as_bytes(), "c", "aws/x/y").unwrap(), None);
        assert!(Catalog::entry_from_slice(b"{\"modules\": {\"a\": 1}} trailing", "c", "a").is_err());
    }

    #[test]
    fn consistent_catalog_has_no_mismatch() {
        let c = Catalog::parse(CATALOG.as_bytes(), "catalog.json").unwrap();
        let mut idx = ModuleIndex::default();
        idx.modules
            .insert(ModulePath::new("aws/networking/vpc").unwrap(), vec![v("1.0.0"), v("1.1.0"), v("1.2.0")]);
        assert_eq!(compare(&c, &idx), vec![]);
    }

    #[test]
    fn every_kind_of_disagreement_is_reported() {
        let c = Catalog::parse(CATALOG.as_bytes(), "catalog.json").unwrap();
        let mut idx = ModuleIndex::default();
        idx.modules
            .insert(ModulePath::new("aws/networking/vpc").unwrap(), vec![v("1.0.0"), v("1.2.0"), v("1.3.0")]);
        idx.modules.insert(ModulePath::new("aws/compute/ec2").unwrap(), vec![v("0.1.0")]);
        let m = compare(&c, &idx);
        assert!(m.contains(&Mismatch::ModuleNotInCatalog { module: "aws/compute/ec2".into() }));
        assert!(m.contains(&Mismatch::VersionNotInCatalog {
            module: "aws/networking/vpc".into(),
            version: "1.3.0".into()
        }));
        assert!(m.contains(&Mismatch::VersionNotInTree {
            module: "aws/networking/vpc".into(),
            version: "1.1.0".into()
        }));
        assert!(m.contains(&Mismatch::WrongLatest {
            module: "aws/networking/vpc".into(),
            catalog: "1.2.0".into(),
            tree: "1.3.0".into()
        }));
        let empty = ModuleIndex::default();
        assert_eq!(
            compare(&c, &empty),
            vec![Mismatch::ModuleNotInTree { module: "aws/networking/vpc".into() }]
        );
    }
}
