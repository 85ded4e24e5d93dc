//! `agb factory lint`: catalog.json against the tree (the tree is the truth) and every
//! version's MODULE_METADATA.yaml against the schema of SPEC §2.2. The checks on one file are
//! pure ([`lint_metadata`]); [`lint_factory`] walks the cache.

use semver::Version;

use super::cache::{CacheError, Factory};
use super::catalog::{self, Catalog};
use super::module::{parse_version, ModulePath};

/// One problem found by lint.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// `catalog` (catalog.json vs the tree), `metadata` (MODULE_METADATA.yaml) or `layout`
    /// (something under modules/ that is not `<p>/<c>/<n>/v<semver>`).
    pub kind: &'static str,
    /// The repository path the problem is in.
    pub path: String,
    pub message: String,
}

/// Check one version's MODULE_METADATA.yaml (`None`: the file is missing).
pub fn lint_metadata(
    module: &ModulePath,
    version: &Version,
    path: &str,
    bytes: Option<&[u8]>,
) -> Vec<Problem> {
    let problem = |message: String| Problem { kind: "metadata", path: path.to_string(), message };
    let Some(bytes) = bytes else {
        return vec![problem("missing MODULE_METADATA.yaml".to_string())];
    };
    let doc: serde_yaml::Value = match serde_yaml::from_slice(bytes) {
        Ok(d) => d,
        Err(e) => return vec![problem(format!("not valid YAML: {e}"))],
    };
    let mut out = Vec::new();
    match doc.get("schema_version") {
        Some(serde_yaml::Value::String(s)) if s == "2.0" => {}
        Some(serde_yaml::Value::Number(n)) if n.as_f64() == Some(2.0) => {
            out.push(problem("schema_version should be the string \"2.0\" (quote it)".to_string()))
        }
        Some(other) => {
            out.push(problem(format!("schema_version is {}, expected \"2.0\"", yaml_inline(other))))
        }
        None => out.push(problem("schema_version is missing (expected \"2.0\")".to_string())),
    }
    let Some(m) = doc.get("module").filter(|m| m.is_mapping()) else {
        out.push(problem("`module:` mapping is missing".to_string()));
        return out;
    };
    let field = |key: &str| m.get(key).map(yaml_scalar);
    for (key, expected) in
        [("name", module.name()), ("provider", module.provider()), ("category", module.category())]
    {
        match field(key) {
            Some(Some(v)) if v == expected => {}
            Some(Some(v)) => {
                out.push(problem(format!("module.{key} is {v:?}, but the folder says {expected:?}")))
            }
            _ => out.push(problem(format!("module.{key} is missing"))),
        }
    }
    match field("version") {
        Some(Some(v)) => match parse_version(&v) {
            Ok(parsed) if &parsed == version => {}
            Ok(_) => out.push(problem(format!("module.version is {v}, but the folder is v{version}"))),
            Err(_) => out.push(problem(format!("module.version {v:?} is not semver"))),
        },
        _ => out.push(problem("module.version is missing".to_string())),
    }
    match field("description") {
        Some(Some(d)) if !d.trim().is_empty() => {}
        _ => out.push(problem("module.description is missing or empty".to_string())),
    }
    out
}

fn yaml_scalar(v: &serde_yaml::Value) -> Option<String> {
    match v {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn yaml_inline(v: &serde_yaml::Value) -> String {
    serde_yaml::to_string(v).map(|s| s.trim().to_string()).unwrap_or_default()
}

/// Lint the whole factory at the cache's tip: catalog.json vs the tree, the tree's layout, and
/// every version's metadata. Problems are sorted by path.
pub fn lint_factory(f: &Factory) -> Result<Vec<Problem>, CacheError> {
    let cfg = f.config();
    let mut out = Vec::new();
    let index = f.module_index()?;
    let catalog = match f.catalog() {
        Ok(c) => Some(c),
        Err(CacheError::NoCatalog { path, .. }) => {
            out.push(Problem { kind: "catalog", path, message: "catalog.json is missing".to_string() });
            None
        }
        Err(CacheError::Catalog(e)) => {
            out.push(Problem { kind: "catalog", path: cfg.catalog_path.clone(), message: e.to_string() });
            None
        }
        Err(e) => return Err(e),
    };
    if let Some(c) = &catalog {
        out.extend(catalog_problems(c, &index, &cfg.catalog_path));
    }
    for stray in &index.stray {
        out.push(Problem {
            kind: "layout",
            path: stray.clone(),
            message: format!(
                "not a module version folder ({}/<provider>/<category>/<name>/v<semver>)",
                cfg.modules_path
            ),
        });
    }
    for (module, versions) in &index.modules {
        if versions.is_empty() {
            out.push(Problem {
                kind: "layout",
                path: module.dir_in(&cfg.modules_path),
                message: "module folder without any v<semver> version folder".to_string(),
            });
        }
        for v in versions {
            let path = f.metadata_path(module, v);
            let bytes = f.metadata_bytes(module, v)?;
            out.extend(lint_metadata(module, v, &path, bytes.as_deref()));
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path).then_with(|| a.message.cmp(&b.message)));
    Ok(out)
}

fn catalog_problems(c: &Catalog, index: &catalog::ModuleIndex, catalog_path: &str) -> Vec<Problem> {
    catalog::compare(c, index)
        .into_iter()
        .map(|m| Problem { kind: "catalog", path: catalog_path.to_string(), message: m.to_string() })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m() -> ModulePath {
        ModulePath::new("aws/networking/vpc").unwrap()
    }

    const GOOD: &str = "schema_version: \"2.0\"\nmodule:\n  name: vpc\n  version: 1.2.0\n  provider: aws\n  category: networking\n  description: A VPC\ninputs: []\n";

    #[test]
    fn good_metadata_passes() {
        assert_eq!(lint_metadata(&m(), &Version::new(1, 2, 0), "p", Some(GOOD.as_bytes())), vec![]);
    }

    #[test]
    fn every_metadata_problem_is_named() {
        let v = Version::new(1, 2, 0);
        assert_eq!(lint_metadata(&m(), &v, "p", None)[0].message, "missing MODULE_METADATA.yaml");
        let bad = GOOD.replace("\"2.0\"", "2.0").replace("name: vpc", "name: vcp").replace("1.2.0", "1.1.0");
        let msgs: Vec<String> =
            lint_metadata(&m(), &v, "p", Some(bad.as_bytes())).into_iter().map(|p| p.message).collect();
        assert!(msgs.iter().any(|s| s.contains("schema_version should be the string")), "{msgs:?}");
        assert!(msgs.iter().any(|s| s.contains("module.name is \"vcp\"")), "{msgs:?}");
        assert!(msgs.iter().any(|s| s.contains("module.version is 1.1.0")), "{msgs:?}");
        let nodesc = GOOD.replace("  description: A VPC\n", "");
        assert_eq!(
            lint_metadata(&m(), &v, "p", Some(nodesc.as_bytes()))[0].message,
            "module.description is missing or empty"
        );
        assert!(lint_metadata(&m(), &v, "p", Some(b"a: ["))
            .first()
            .unwrap()
            .message
            .starts_with("not valid YAML"));
    }
}
