//! `agb factory validate`: find the `module` blocks of `.tf` files whose `source` points into the
//! factory and check each module and version against what the factory holds (SPEC §2.4). This is
//! what an AI agent runs before handing generated Terraform to a person: an invented module or
//! version is reported with its place in the file and the closest real one.
//!
//! Pure parts: [`scan_file`] (HCL → references, with spans), [`FactoryIdentity`] (does a source
//! string point into the factory, in any of Terraform's git source forms) and [`check`] (against
//! the module index). File walking is [`collect_tf_files`]; the CLI does the printing.
//!
//! Not here: sources outside the factory (registry modules, other repositories, local paths) are
//! ignored, not checked; the one exception is [`Unattributed`]: a git source into a `modules/`
//! folder of another repository while no `repository:` is configured, which may well be the
//! factory under its published URL, so the CLI warns that it checked nothing for it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use miette::{NamedSource, SourceSpan};
use semver::Version;

use crate::factory::bump::BumpError;
use crate::factory::suggest;

/// Errors of validate itself (a reference that does not exist is a finding, not an error).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ValidateError {
    #[error("{path}: no such file or directory")]
    #[diagnostic(
        code(agb::factory::validate::no_such_path),
        help("pass .tf files or directories that exist")
    )]
    Missing { path: PathBuf },
    #[error("{path}: not a regular file or directory (a FIFO, socket or device)")]
    #[diagnostic(
        code(agb::factory::validate::not_regular),
        help("pass .tf files or directories; agb does not read from FIFOs or devices (a read could block forever)")
    )]
    NotRegular { path: PathBuf },
    #[error("cannot read {path}")]
    #[diagnostic(code(agb::factory::validate::read), help("check that the file is readable"))]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Hcl(#[from] BumpError),
}

/// A reference to a module or version the factory does not have, shown at its place in the file.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{problem}")]
#[diagnostic(code(agb::factory::validate::not_found))]
pub struct MissingReference {
    pub problem: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("{label}")]
    pub span: SourceSpan,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

impl MissingReference {
    /// The diagnostic for a checked reference that does not exist; `text` is its file's content.
    pub fn new(checked: &Checked, text: &str) -> Self {
        let r = &checked.reference;
        let label = match (r.kind, &r.version) {
            (RefKind::Elsewhere, _) => "not a module folder of the factory".to_string(),
            (_, Some(v)) => format!("{}@{v} is not in the factory", r.module),
            (_, None) => format!("{} is not in the factory", r.module),
        };
        let help = match &checked.suggestion {
            Some(s) => Some(format!("did you mean `{s}`?")),
            None => Some("`agb factory catalog` lists the modules that exist".to_string()),
        };
        MissingReference {
            problem: format!(
                "{}:{}: {}",
                r.file,
                r.line,
                checked.problem.clone().unwrap_or_else(|| "unknown reference".to_string())
            ),
            src: NamedSource::new(&r.file, text.to_string()),
            span: SourceSpan::from(r.span),
            label,
            help,
        }
    }
}

/// Which repository is the factory: the configured URL and, when known, `repository: owner/name`
/// on GitHub. Sources are compared by host and path, ignoring scheme, user, `.git` and case of
/// the host (and, on github.com, of the owner and name, as GitHub does).
#[derive(Debug, Clone)]
pub struct FactoryIdentity {
    keys: Vec<String>,
    /// `repository:` is configured: a source that is not the factory is surely another repository.
    has_repository: bool,
    modules_path: String,
    patterns_path: String,
}

impl FactoryIdentity {
    /// `url`: the factory URL or local path as configured; `repository`: `owner/name` on GitHub.
    pub fn new(url: &str, repository: Option<&str>, modules_path: &str, patterns_path: &str) -> Self {
        let mut keys = Vec::new();
        if let Some(k) = repo_key(url) {
            keys.push(k);
        }
        if let Some(repo) = repository {
            keys.push(format!(
                "github.com/{}",
                repo.trim_matches('/').trim_end_matches(".git").to_ascii_lowercase()
            ));
        }
        keys.dedup();
        FactoryIdentity {
            keys,
            has_repository: repository.is_some(),
            modules_path: modules_path.trim_matches('/').to_string(),
            patterns_path: patterns_path.trim_matches('/').to_string(),
        }
    }

    /// Where `source` points inside the factory: `Some((subdir, ref))` when it is the factory,
    /// `None` for anything else.
    fn locate<'s>(&self, source: &'s str) -> Option<(&'s str, Option<&'s str>)> {
        let (key, subdir, git_ref) = split_source(source)?;
        self.keys.contains(&key).then_some((subdir, git_ref))
    }

    /// A source the factory cannot be told apart from: a remote git repository, not the factory's
    /// URL, pointing into a `<modules_path>/` or `<patterns_path>/` folder, while no `repository:`
    /// says where the factory is published (a local or mirror URL is configured, the `.tf` files
    /// use the GitHub one).
    fn unattributed(&self, source: &str) -> bool {
        if self.has_repository {
            return false;
        }
        let Some((key, subdir, _)) = split_source(source) else { return false };
        let inside = |root: &str| subdir.trim_start_matches('/').starts_with(&format!("{root}/"));
        !key.starts_with('/')
            && !self.keys.contains(&key)
            && (inside(&self.modules_path) || inside(&self.patterns_path))
    }
}

/// A source string as (repository key, subdirectory, `?ref=`); `None` when it is no git address.
fn split_source(source: &str) -> Option<(String, &str, Option<&str>)> {
    let source = source.trim();
    let (no_query, query) = match source.split_once('?') {
        Some((a, q)) => (a, Some(q)),
        None => (source, None),
    };
    let git_ref = query.and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("ref=")));
    let addr = no_query.strip_prefix("git::").unwrap_or(no_query);
    // The `//` that separates the repository from the subdirectory: the first one after the
    // scheme's `://`.
    let search_from = addr.find("://").map_or(0, |i| i + 3);
    let (repo, subdir) = match addr[search_from..].find("//") {
        Some(i) => (&addr[..search_from + i], &addr[search_from + i + 2..]),
        None => (addr, ""),
    };
    Some((repo_key(repo)?, subdir, git_ref))
}

/// `https://github.com/Org/Repo.git` → `github.com/org/repo`; `git@github.com:org/repo.git` and
/// `ssh://git@github.com/org/repo` → the same; `file:///srv/f.git` and `/srv/f.git` → `/srv/f`.
fn repo_key(addr: &str) -> Option<String> {
    let addr = addr.trim().trim_end_matches('/');
    let local = addr.strip_prefix("file://").or_else(|| addr.starts_with('/').then_some(addr));
    if let Some(path) = local {
        // The configured factory path is canonical; a reference may go through a symlinked
        // directory (`/tmp` → `/private/tmp`), so compare canonical paths when the path exists.
        let canonical = std::fs::canonicalize(path).map(|p| p.to_string_lossy().into_owned());
        let path = canonical.as_deref().unwrap_or(path).trim_end_matches('/');
        return Some(path.strip_suffix(".git").unwrap_or(path).to_string());
    }
    let addr = addr.strip_suffix(".git").unwrap_or(addr);
    if addr.starts_with("./") || addr.starts_with("../") {
        return None; // a local module of the caller, never the factory
    }
    let (host, path) = if let Some((_, rest)) = addr.split_once("://") {
        let (authority, path) = rest.split_once('/')?;
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        // ssh://host:22/… and https://host:443/… are the same repository as without the port.
        let host = host.split(':').next().unwrap_or(host);
        (host, path)
    } else if let Some((before, path)) = addr.split_once(':').filter(|(b, _)| !b.contains('/')) {
        (before.rsplit_once('@').map_or(before, |(_, h)| h), path)
    } else {
        // `github.com/org/repo` (Terraform's GitHub shorthand) and other host/path forms.
        let (host, path) = addr.split_once('/')?;
        if !host.contains('.') {
            return None; // a registry address `namespace/name/provider`
        }
        (host, path)
    };
    let host = host.to_ascii_lowercase();
    let path = path.trim_matches('/');
    let path = if host == "github.com" { path.to_ascii_lowercase() } else { path.to_string() };
    Some(format!("{host}/{path}"))
}

/// What in the factory a reference points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    /// `modules/<provider>/<category>/<name>[/v<version>]`.
    Module,
    /// `patterns/<name>`.
    Pattern,
    /// The factory, but neither a module nor a pattern folder (the root, a typo in `modules/`).
    Elsewhere,
}

/// One `module` block that points into the factory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub kind: RefKind,
    /// The file as the user named it (or as found under a directory they named).
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// Byte span of the `source` value (the string literal) in the file.
    pub span: (usize, usize),
    /// The module block's label.
    pub block: String,
    pub source: String,
    /// `provider/category/name` as written (may be invalid or unknown); for a pattern
    /// `<patterns_path>/<name>`, for anything else the path inside the factory.
    pub module: String,
    /// The version from `/v<version>` in the path, else from `version = …`, else from `?ref=`.
    pub version: Option<String>,
}

/// Every factory reference in one `.tf` file's text.
pub fn scan_file(file: &str, text: &str, factory: &FactoryIdentity) -> Result<Vec<Reference>, BumpError> {
    Ok(scan_file_all(file, text, factory)?.0)
}

/// A `module` source into a `modules/` folder of a repository that may be the factory under
/// another URL (no `repository:` configured): nothing was checked for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unattributed {
    pub file: String,
    pub line: usize,
    pub source: String,
}

/// The factory references of one file and the sources agb could not attribute.
fn scan_file_all(
    file: &str,
    text: &str,
    factory: &FactoryIdentity,
) -> Result<(Vec<Reference>, Vec<Unattributed>), BumpError> {
    let body = crate::factory::bump::parse_hcl(file, text)?;
    let mut refs = Vec::new();
    let mut unattributed = Vec::new();
    for block in body.get_blocks("module") {
        use hcl_edit::Span as _;
        let Some(source_attr) = block.body.get_attribute("source") else { continue };
        let Some(source) = source_attr.value.as_str() else { continue };
        let span = source_attr.value.span().unwrap_or(0..0);
        let (line, column) = line_col(text, span.start);
        let Some((subdir, git_ref)) = factory.locate(source) else {
            if factory.unattributed(source) {
                unattributed.push(Unattributed { file: file.to_string(), line, source: source.to_string() });
            }
            continue;
        };
        let version_arg =
            block.body.get_attribute("version").and_then(|a| a.value.as_str()).map(str::to_string);
        let (kind, module, path_version) = split_subdir(subdir, factory);
        let version = match kind {
            RefKind::Module => path_version
                .or(version_arg)
                .or_else(|| git_ref.and_then(version_in_ref))
                .map(|v| v.trim_start_matches('v').to_string()),
            RefKind::Pattern | RefKind::Elsewhere => None,
        };
        refs.push(Reference {
            kind,
            file: file.to_string(),
            line,
            column,
            span: (span.start, span.end - span.start),
            block: block.labels.first().map(|l| l.as_str().to_string()).unwrap_or_default(),
            source: source.to_string(),
            module,
            version,
        });
    }
    Ok((refs, unattributed))
}

/// `modules/aws/networking/vpc/v1.2.0/sub` → (Module, `aws/networking/vpc`, Some(`1.2.0`));
/// `patterns/web/…` → (Pattern, `patterns/web`, None); anything else → (Elsewhere, the path).
/// `.` and `..` segments are resolved first, as git resolves them in the checkout: a path that
/// climbs out of the repository is no folder of the factory. Right below a module, a segment that
/// is no `v<version>` folder is kept as the version, so the check reports it as no version.
fn split_subdir(subdir: &str, factory: &FactoryIdentity) -> (RefKind, String, Option<String>) {
    let Some(normalized) = normalize_subdir(subdir) else {
        return (RefKind::Elsewhere, subdir.trim_matches('/').to_string(), None);
    };
    let subdir = normalized.as_str();
    let under = |root: &str| -> Option<String> {
        if root.is_empty() {
            return Some(subdir.to_string());
        }
        let rest = subdir.strip_prefix(root)?;
        (rest.is_empty() || rest.starts_with('/')).then(|| rest.trim_start_matches('/').to_string())
    };
    if let Some(inside) = under(&factory.modules_path) {
        let parts: Vec<&str> = inside.split('/').filter(|p| !p.is_empty()).collect();
        let module_parts: Vec<&str> =
            parts.iter().take(3).copied().take_while(|p| !is_version_dir(p)).collect();
        let version = match parts.get(module_parts.len()) {
            Some(p) if is_version_dir(p) => Some(p.trim_start_matches('v').to_string()),
            // `vpc/latest`, `vpc/vX`: a folder the layout cannot have (only `v<version>/` sits
            // under a module); as the version, the check says it is none and names the latest.
            Some(p) if module_parts.len() == 3 => Some((*p).to_string()),
            _ => None,
        };
        return (RefKind::Module, module_parts.join("/"), version);
    }
    if let Some(inside) = under(&factory.patterns_path) {
        let name = inside.split('/').find(|p| !p.is_empty()).unwrap_or_default();
        return (RefKind::Pattern, format!("{}/{name}", factory.patterns_path), None);
    }
    (RefKind::Elsewhere, subdir.to_string(), None)
}

/// `a/./b/../c` → `a/c`; `None` when `..` climbs above the start.
fn normalize_subdir(subdir: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for p in subdir.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

fn is_version_dir(s: &str) -> bool {
    s.strip_prefix('v').is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
}

/// A version inside a git ref: `v1.2.0`, `1.2.0`, `aws/networking/vpc/v1.2.0`,
/// `aws-networking-vpc-v1.2.0`.
fn version_in_ref(git_ref: &str) -> Option<String> {
    let tail = git_ref.rsplit(['/', '-']).find(|s| !s.is_empty())?;
    let tail = tail.trim_start_matches('v');
    Version::parse(tail).ok().map(|_| tail.to_string())
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The outcome for one reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub reference: Reference,
    pub exists: bool,
    /// What is wrong, for the diagnostic ("no module …", "no version …").
    pub problem: Option<String>,
    /// The closest existing module path or `module@version`.
    pub suggestion: Option<String>,
}

/// Check references against the factory's modules (path → versions, from the tree) and
/// pattern names.
pub fn check(
    refs: Vec<Reference>,
    modules: &BTreeMap<String, Vec<Version>>,
    patterns: &[String],
) -> Vec<Checked> {
    let closest_module = |query: &str| {
        // The same ranking `agb factory check` uses, so both commands point at the same module.
        suggest::closest_paths(query, modules.keys().map(String::as_str), 1).into_iter().next()
    };
    refs.into_iter()
        .map(|r| match r.kind {
            RefKind::Pattern => {
                let name = r.module.rsplit('/').next().unwrap_or_default();
                if patterns.iter().any(|p| p == name) {
                    return Checked { reference: r, exists: true, problem: None, suggestion: None };
                }
                let prefix = r.module.rsplit_once('/').map_or("", |(p, _)| p);
                let suggestion = suggest::closest_paths(name, patterns.iter().map(String::as_str), 1)
                    .into_iter()
                    .next()
                    .map(|p| format!("{prefix}/{p}"));
                let problem = format!("no pattern `{}` in the factory", r.module);
                Checked { reference: r, exists: false, problem: Some(problem), suggestion }
            }
            RefKind::Elsewhere => {
                let guess: Vec<&str> = r.module.split('/').filter(|p| !is_version_dir(p)).take(3).collect();
                let suggestion = closest_module(&guess.join("/"));
                let problem = format!(
                    "the source points into the factory but not at a module folder (`//{}`)",
                    if r.module.is_empty() { "" } else { r.module.as_str() }
                );
                Checked { reference: r, exists: false, problem: Some(problem), suggestion }
            }
            RefKind::Module => check_module(r, modules, closest_module),
        })
        .collect()
}

fn check_module(
    r: Reference,
    modules: &BTreeMap<String, Vec<Version>>,
    closest_module: impl Fn(&str) -> Option<String>,
) -> Checked {
    let Some(versions) = modules.get(&r.module) else {
        let suggestion = closest_module(&r.module);
        let problem = format!("no module `{}` in the factory", r.module);
        return Checked { reference: r, exists: false, problem: Some(problem), suggestion };
    };
    let Some(wanted) = r.version.clone() else {
        return Checked { reference: r, exists: true, problem: None, suggestion: None };
    };
    if let Ok(v) = Version::parse(&wanted) {
        if versions.contains(&v) {
            return Checked { reference: r, exists: true, problem: None, suggestion: None };
        }
        let suggestion = suggest::nearest_version(&v, versions).map(|v| format!("{}@{v}", r.module));
        let problem = format!("`{}` has no version {wanted}", r.module);
        return Checked { reference: r, exists: false, problem: Some(problem), suggestion };
    }
    // A `version` argument may be a constraint (`~> 1.2`): it exists when a version satisfies it.
    match crate::factory::bump::Constraint::parse(&wanted) {
        Some(c) if versions.iter().any(|v| c.allows(v)) => {
            Checked { reference: r, exists: true, problem: None, suggestion: None }
        }
        parsed => {
            let suggestion = versions.iter().max().map(|v| format!("{}@{v}", r.module));
            let problem = match parsed {
                Some(_) => format!("no version of `{}` satisfies {wanted}", r.module),
                None => format!("`{}`: {wanted:?} is not a version", r.module),
            };
            Checked { reference: r, exists: false, problem: Some(problem), suggestion }
        }
    }
}

/// The `.tf` files named by `paths`: files as given, directories searched recursively (hidden
/// directories and `.terraform/` skipped), each list sorted so output is stable. A file named
/// twice (`stack stack/main.tf`) is checked once, where it first appears.
pub fn collect_tf_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, ValidateError> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_file() {
            out.push(path.clone());
            continue;
        }
        if !path.is_dir() {
            return Err(match std::fs::metadata(path) {
                Ok(_) => ValidateError::NotRegular { path: path.clone() },
                Err(_) => ValidateError::Missing { path: path.clone() },
            });
        }
        let mut found: Vec<PathBuf> = walkdir::WalkDir::new(path)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !(e.file_type().is_dir() && is_skipped_dir(e.file_name())))
            // a directory that cannot be read is an error: "all exist" must not skip part of it
            .map(|e| {
                e.map_err(|e| {
                    let path = e.path().unwrap_or(path).to_path_buf();
                    ValidateError::Read { path, source: e.into() }
                })
            })
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            // a symlinked .tf file (`providers.tf -> ../shared/…`) is read by Terraform, so it is
            // checked too; symlinked directories are not walked (no loops)
            .filter(|e| {
                let is_file = e.file_type().is_file()
                    || (e.path_is_symlink() && std::fs::metadata(e.path()).is_ok_and(|m| m.is_file()));
                is_file && e.path().extension().is_some_and(|x| x == "tf")
            })
            .map(|e| e.into_path())
            .collect();
        found.sort();
        out.extend(found);
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|p| seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())));
    Ok(out)
}

fn is_skipped_dir(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_none_or(|n| n.starts_with('.'))
}

/// What [`scan_paths`] found.
#[derive(Debug, Default)]
pub struct Scanned {
    pub refs: Vec<Reference>,
    /// The text of every file with a reference, by displayed name (for the diagnostics).
    pub texts: BTreeMap<String, String>,
    pub unattributed: Vec<Unattributed>,
}

/// Read and scan every file; the file names in references are shown as `display(path)`.
pub fn scan_paths(
    files: &[PathBuf],
    factory: &FactoryIdentity,
    display: impl Fn(&Path) -> String,
) -> Result<Scanned, ValidateError> {
    let mut refs = Vec::new();
    let mut texts = BTreeMap::new();
    let mut unattributed = Vec::new();
    for path in files {
        let bytes =
            std::fs::read(path).map_err(|source| ValidateError::Read { path: path.clone(), source })?;
        let name = display(path);
        let text = String::from_utf8(bytes).map_err(|_| BumpError::NotUtf8 { file: name.clone() })?;
        let (found, others) = scan_file_all(&name, &text, factory)?;
        if !found.is_empty() {
            texts.insert(name, text);
        }
        refs.extend(found);
        unattributed.extend(others);
    }
    Ok(Scanned { refs, texts, unattributed })
}

#[cfg(test)]
mod tests;
