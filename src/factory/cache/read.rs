//! Every read of the tip's tree: files and blobs, catalog.json, the module index, a version's
//! files (refusing paths git would refuse), patterns, and resolving `MODULE[@VERSION]`.
//!
//! Not here: how the tip got there (`open.rs`, `fetch.rs`), ranking suggestions (`suggest.rs`).

use gix::ObjectId;
use semver::Version;

use super::index::{self, Listing};
use super::{git_err, CacheError, CacheWarning, Factory, FileEntry, Resolution};
use crate::factory::catalog::{self, Catalog, CatalogEntry, Mismatch, ModuleIndex};
use crate::factory::module::{version_from_dir_name, ModulePath, ModuleSpec};
use crate::factory::{suggest, tree_path};

impl Factory {
    fn root_tree(&self) -> Result<gix::Tree<'_>, CacheError> {
        self.repo.find_tree(self.tree).map_err(|e| git_err(&self.git_dir, e))
    }

    fn entry(&self, path: &str) -> Result<Option<gix::object::tree::Entry<'_>>, CacheError> {
        self.root_tree()?.lookup_entry_by_path(path).map_err(|e| git_err(&self.git_dir, e))
    }

    fn subtree(&self, path: &str) -> Result<Option<gix::Tree<'_>>, CacheError> {
        match self.entry(path)? {
            Some(e) if e.mode().is_tree() => {
                Ok(Some(self.repo.find_tree(e.object_id()).map_err(|e| git_err(&self.git_dir, e))?))
            }
            _ => Ok(None),
        }
    }

    /// The content of a file of the repository at the tip (None: no such file).
    pub fn read_path(&self, path: &str) -> Result<Option<Vec<u8>>, CacheError> {
        match self.entry(path)? {
            Some(e) if e.mode().is_blob() || e.mode().is_link() => Ok(Some(self.read_blob(e.object_id())?)),
            _ => Ok(None),
        }
    }

    /// A blob's bytes.
    pub fn read_blob(&self, oid: ObjectId) -> Result<Vec<u8>, CacheError> {
        let mut blob = self.repo.find_blob(oid).map_err(|e| git_err(&self.git_dir, e))?;
        Ok(blob.take_data())
    }

    /// catalog.json at the tip.
    pub fn catalog(&self) -> Result<Catalog, CacheError> {
        let path = &self.config.catalog_path;
        let bytes = self.read_path(path)?.ok_or_else(|| CacheError::NoCatalog {
            path: path.clone(),
            branch: self.config.branch.clone(),
        })?;
        Ok(Catalog::parse(&bytes, path)?)
    }

    /// The factory's bump policy file (`.agb/bump-policy.yaml`) at the tip, if it has one; read
    /// like catalog.json, parsed by `factory::bump::policy`.
    pub fn bump_policy_bytes(&self) -> Result<Option<Vec<u8>>, CacheError> {
        self.read_path(crate::factory::bump::POLICY_FILE)
    }

    /// The names of the entries of a tree, with whether each is a tree.
    fn list_dir(&self, tree: &gix::Tree<'_>) -> Result<Vec<(String, bool, ObjectId)>, CacheError> {
        let decoded = tree.decode().map_err(|e| git_err(&self.git_dir, e))?;
        Ok(decoded
            .entries
            .iter()
            .map(|e| (e.filename.to_string(), e.mode.is_tree(), e.oid.to_owned()))
            .collect())
    }

    /// The versions (ascending) of one module in the tree; None when it has no folder.
    pub fn module_versions(&self, module: &ModulePath) -> Result<Option<Vec<Version>>, CacheError> {
        let Some(tree) = self.subtree(&module.dir_in(&self.config.modules_path))? else {
            return Ok(None);
        };
        let mut versions: Vec<Version> = self
            .list_dir(&tree)?
            .into_iter()
            .filter(|(_, is_tree, _)| *is_tree)
            .filter_map(|(name, _, _)| version_from_dir_name(&name))
            .collect();
        versions.sort();
        Ok(Some(versions))
    }

    /// Every module and version in the tree (`modules/<p>/<c>/<n>/v<semver>`).
    pub fn module_index(&self) -> Result<ModuleIndex, CacheError> {
        let mut index = ModuleIndex::default();
        let root = &self.config.modules_path;
        let Some(modules) = self.subtree(root)? else { return Ok(index) };
        let find = |oid: ObjectId| self.repo.find_tree(oid).map_err(|e| git_err(&self.git_dir, e));
        for (provider, is_tree, p_oid) in self.list_dir(&modules)? {
            if !is_tree {
                index.stray.push(format!("{root}/{provider}"));
                continue;
            }
            for (category, is_tree, c_oid) in self.list_dir(&find(p_oid)?)? {
                if !is_tree {
                    index.stray.push(format!("{root}/{provider}/{category}"));
                    continue;
                }
                for (name, is_tree, n_oid) in self.list_dir(&find(c_oid)?)? {
                    let rel = format!("{provider}/{category}/{name}");
                    let module = match ModulePath::new(&rel) {
                        Ok(m) if is_tree => m,
                        _ => {
                            index.stray.push(format!("{root}/{rel}"));
                            continue;
                        }
                    };
                    let mut versions = Vec::new();
                    for (vdir, is_tree, _) in self.list_dir(&find(n_oid)?)? {
                        match version_from_dir_name(&vdir) {
                            Some(v) if is_tree => versions.push(v),
                            _ => index.stray.push(format!("{root}/{rel}/{vdir}")),
                        }
                    }
                    versions.sort();
                    index.modules.insert(module, versions);
                }
            }
        }
        Ok(index)
    }

    /// The files of a module version, sorted by path, with their blob ids; None when the version
    /// folder does not exist.
    pub fn version_files(
        &self,
        module: &ModulePath,
        version: &Version,
    ) -> Result<Option<Vec<FileEntry>>, CacheError> {
        let Some(tree) = self.subtree(&module.version_dir_in(&self.config.modules_path, version))? else {
            return Ok(None);
        };
        let mut rec = gix::traverse::tree::Recorder::default();
        tree.traverse().breadthfirst(&mut rec).map_err(|e| git_err(&self.git_dir, e))?;
        let mut files: Vec<FileEntry> = rec
            .records
            .into_iter()
            .filter(|r| !r.mode.is_tree() && !r.mode.is_commit())
            .map(|r| FileEntry {
                path: r.filepath.to_string(),
                oid: r.oid,
                executable: r.mode.is_executable(),
                symlink: r.mode.is_link(),
            })
            .collect();
        // The factory's content is not trusted: refuse the whole version when one path is one
        // git would refuse, so import, show, compare and publish's bump check never see it.
        if let Some((entry, reason)) = files.iter().find_map(|f| tree_path::refused_path(&f.path)) {
            return Err(CacheError::UnsafeEntry {
                module: module.to_string(),
                version: version.to_string(),
                entry: entry.to_string(),
                reason,
            });
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(Some(files))
    }

    /// The repository path of a version's MODULE_METADATA.yaml.
    pub fn metadata_path(&self, module: &ModulePath, version: &Version) -> String {
        format!("{}/MODULE_METADATA.yaml", module.version_dir_in(&self.config.modules_path, version))
    }

    /// A version's MODULE_METADATA.yaml as raw bytes (None: the file does not exist).
    pub fn metadata_bytes(
        &self,
        module: &ModulePath,
        version: &Version,
    ) -> Result<Option<Vec<u8>>, CacheError> {
        self.read_path(&self.metadata_path(module, version))
    }

    /// The names under `patterns_path` (folders and files), sorted.
    pub fn patterns(&self) -> Result<Vec<String>, CacheError> {
        let Some(tree) = self.subtree(&self.config.patterns_path)? else { return Ok(Vec::new()) };
        let mut names: Vec<String> = self.list_dir(&tree)?.into_iter().map(|(n, _, _)| n).collect();
        names.sort();
        Ok(names)
    }

    /// Resolve `MODULE[@VERSION]` against the tree (latest when no version). When the module is
    /// missing, the closest module paths come from the tree and the catalog together.
    pub fn resolve(&self, spec: &ModuleSpec) -> Result<Resolution, CacheError> {
        let module = spec.module.clone();
        match self.module_versions(&module)? {
            Some(versions) if !versions.is_empty() => {
                let latest = versions.last().expect("checked non-empty").clone();
                match &spec.version {
                    None => Ok(Resolution::Found { module, version: latest.clone(), latest, versions }),
                    Some(v) if versions.contains(v) => {
                        Ok(Resolution::Found { module, version: v.clone(), latest, versions })
                    }
                    Some(v) => {
                        let closest = suggest::closest_versions(v, &versions);
                        Ok(Resolution::NoSuchVersion { module, wanted: v.clone(), versions, closest })
                    }
                }
            }
            _ => {
                let index = self.module_index()?;
                let mut names: Vec<String> = index.modules.keys().map(|m| m.to_string()).collect();
                if let Ok(catalog) = self.catalog() {
                    names.extend(catalog.modules.keys().cloned());
                }
                names.sort();
                names.dedup();
                // A module listed only in catalog.json does not exist; never suggest it to itself.
                names.retain(|n| n != module.as_str());
                let closest = suggest::closest_paths(module.as_str(), names.iter().map(String::as_str), 5);
                Ok(Resolution::NoSuchModule { module, closest })
            }
        }
    }

    /// The blob id of a file at the tip (None: no such file).
    fn blob_id(&self, path: &str) -> Result<Option<ObjectId>, CacheError> {
        Ok(self.entry(path)?.filter(|e| e.mode().is_blob()).map(|e| e.object_id()))
    }

    /// catalog.json's blob id at the tip; fails as [`Factory::catalog`] does when it is missing.
    fn catalog_id(&self) -> Result<ObjectId, CacheError> {
        let path = &self.config.catalog_path;
        self.blob_id(path)?
            .ok_or_else(|| CacheError::NoCatalog { path: path.clone(), branch: self.config.branch.clone() })
    }

    /// The name of the listing's derived file: after catalog.json's and modules/'s ids.
    fn listing_name(&self, catalog_id: ObjectId) -> Result<String, CacheError> {
        let modules_id = match self.entry(&self.config.modules_path)? {
            Some(e) if e.mode().is_tree() => e.object_id().to_string(),
            _ => "none".to_string(),
        };
        Ok(format!("listing-{catalog_id}-{modules_id}"))
    }

    /// What `catalog` lists: every module of the tree with its versions and the catalog's
    /// description. Read from the derived file of this catalog.json and modules/ when there is
    /// one (see `index.rs`), else built from both and kept. Fails as [`Factory::catalog`] does
    /// when catalog.json is missing or invalid.
    pub fn listing(&self) -> Result<Listing, CacheError> {
        let catalog_id = self.catalog_id()?;
        let name = self.listing_name(catalog_id)?;
        if let Some(listing) = index::read(&self.git_dir, &name).and_then(|t| Listing::from_text(&t)) {
            return Ok(listing);
        }
        let catalog = Catalog::parse(&self.read_blob(catalog_id)?, &self.config.catalog_path)?;
        let tree = self.module_index()?;
        let listing = Listing::build(&catalog, &tree, index::mismatch_count(&catalog, &tree));
        index::write(&self.git_dir, &name, &listing.to_text());
        Ok(listing)
    }

    /// One module's catalog.json entry, from the derived index of this catalog.json when there
    /// is one (a substring search), else by parsing catalog.json and keeping its index.
    /// `Ok(None)`: the catalog does not list the module; Err: no or no valid catalog.json.
    fn catalog_entry(&self, module: &ModulePath) -> Result<Option<CatalogEntry>, CacheError> {
        let path = &self.config.catalog_path;
        let id = self.catalog_id()?;
        let name = format!("catalog-{id}");
        if let Some(entry) =
            index::read(&self.git_dir, &name).and_then(|t| index::lookup_entry(&t, module.as_str()))
        {
            return Ok(entry);
        }
        let bytes = self.read_blob(id)?;
        // an entry elsewhere of the wrong shape does not hide this module's entry
        let Ok(catalog) = Catalog::parse(&bytes, path) else {
            return Ok(Catalog::entry_from_slice(&bytes, path, module.as_str())?);
        };
        index::write(&self.git_dir, &name, &index::catalog_index_text(&catalog));
        Ok(catalog.modules.get(module.as_str()).cloned())
    }

    /// Build both derived files of the tip now, unless they exist: called after a fetch or
    /// clone brought a commit, so the first `catalog`/`check` after it does not pay for them
    /// (hundreds of milliseconds at 10k modules). catalog.json is parsed once for both. Any
    /// failure (no or invalid catalog.json, a read-only cache) is left to the reads, which
    /// build the files lazily or report the error themselves.
    pub(super) fn build_index(&self) {
        let Ok(catalog_id) = self.catalog_id() else { return };
        let Ok(listing_name) = self.listing_name(catalog_id) else { return };
        let catalog_name = format!("catalog-{catalog_id}");
        let dir = self.git_dir.join(index::DIR);
        if dir.join(&catalog_name).is_file() && dir.join(&listing_name).is_file() {
            return;
        }
        let Ok(bytes) = self.read_blob(catalog_id) else { return };
        let Ok(catalog) = Catalog::parse(&bytes, &self.config.catalog_path) else { return };
        index::write(&self.git_dir, &catalog_name, &index::catalog_index_text(&catalog));
        let Ok(tree) = self.module_index() else { return };
        let listing = Listing::build(&catalog, &tree, index::mismatch_count(&catalog, &tree));
        index::write(&self.git_dir, &listing_name, &listing.to_text());
    }

    /// catalog.json vs the tree for one module; the disagreements are also added to
    /// [`Factory::warnings`] (readers warn, the tree wins).
    pub fn check_catalog_for(&mut self, module: &ModulePath) -> Vec<Mismatch> {
        let Ok(entry) = self.catalog_entry(module) else { return Vec::new() };
        let Ok(tree) = self.module_versions(module) else { return Vec::new() };
        let found = catalog::compare_module(
            module.as_str(),
            entry.as_ref(),
            tree.as_deref().filter(|v| !v.is_empty()),
        );
        for m in &found {
            self.warnings.push(CacheWarning::CatalogMismatch(m.clone()));
        }
        found
    }
}
