//! The errors of `agb publish`: one enum for the whole command (usage, version rules, the
//! catalog, git and the remote), and the MODULE_METADATA.yaml edit error with its place.
//!
//! Not here: the local module's own errors (see `factory::local_module`), which it wraps.

use std::path::PathBuf;

use crate::factory::local_module::LocalModuleError;

/// Errors of `agb publish`.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum PublishError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Module(#[from] crate::factory::module::ModuleError),
    /// Selecting or reading the local module's files.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Local(#[from] LocalModuleError),
    #[error("invalid version {version:?}: {reason}")]
    #[diagnostic(
        code(agb::publish::usage::version),
        help("versions are semver: MAJOR.MINOR.PATCH, e.g. 1.2.0")
    )]
    InvalidVersion { version: String, reason: String },
    #[error("no --{what} given, and {} does not say it{detail}", path.display())]
    #[diagnostic(
        code(agb::publish::usage::not_given),
        help("pass --{what}, or set it under `module:` in MODULE_METADATA.yaml (provider, category, name, version)")
    )]
    NotGiven { what: &'static str, path: PathBuf, detail: String },
    #[error("--version auto: {module} has not changed since {latest}, there is nothing to publish")]
    #[diagnostic(
        code(agb::publish::nothing_to_publish),
        help("`agb factory compare` shows the comparison; pass an explicit --version to publish anyway")
    )]
    NothingToPublish { module: String, latest: String },
    #[error("invalid --author {value:?}")]
    #[diagnostic(
        code(agb::publish::usage::author),
        help("write it as git does: --author \"Name <email@example.com>\"")
    )]
    BadAuthor { value: String },
    #[error("{path} is not a directory")]
    #[diagnostic(
        code(agb::publish::usage::local_dir),
        help("pass the directory that holds the module's .tf files")
    )]
    NoLocalDir { path: PathBuf },
    #[error("{path} holds no file to publish")]
    #[diagnostic(
        code(agb::publish::empty),
        help("every file was skipped (.git/, .terraform/, state, *.tfvars, .gitignore); check the directory or use --include")
    )]
    Empty { path: PathBuf },
    #[error("{module} v{version} already exists in the factory")]
    #[diagnostic(
        code(agb::publish::version_exists),
        help("bump the version: {next} is the next free patch version")
    )]
    VersionExists { module: String, version: String, next: String },
    #[error("{version} is not greater than the latest published version {latest} of {module}")]
    #[diagnostic(
        code(agb::publish::version_not_newer),
        help("use a version above {latest}, or pass --allow-older to publish a fix for an older line")
    )]
    NotNewer { module: String, version: String, latest: String },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Metadata(Box<MetadataError>),
    #[error("cannot add the version to {path} of the factory: {message}")]
    #[diagnostic(
        code(agb::publish::catalog),
        help("the factory's catalog must be a JSON object with a `modules` object; fix it on the factory branch first (`agb factory lint`)")
    )]
    Catalog { path: String, message: String },
    #[error("no git identity to author the commit")]
    #[diagnostic(
        code(agb::publish::no_identity),
        help("set one with `git config --global user.name \"Your Name\"` and `git config --global user.email you@example.com`, or pass --author \"Name <email>\"")
    )]
    NoIdentity,
    #[error("branch {branch} already exists on {remote}")]
    #[diagnostic(
        code(agb::publish::branch_exists),
        help("increment the version or delete the branch (`git push <remote> --delete {branch}`), then publish again; or add the module's files as they are now to its open pull request with `agb publish --update`")
    )]
    BranchExists { branch: String, remote: String },
    #[error("branch {branch} was not made by agb publish for {module}")]
    #[diagnostic(
        code(agb::publish::update::not_agb),
        help("--update only adds to the branch agb pushed for this module and version (its commits carry `Agb-Module: {module}`); check --module/--version, or publish another version")
    )]
    NotAgbBranch { branch: String, module: String },
    #[error("someone else pushed to {branch} since agb's last commit: {commit} by {author} ({subject})")]
    #[diagnostic(
        code(agb::publish::update::pushed_since),
        help("agb will not add on top of a colleague's work unseen: look at {commit}, bring their change into your module directory, then talk to them or publish another version")
    )]
    PushedSince { branch: String, commit: String, author: String, subject: String },
    #[error("branch {branch} changed on the remote since agb read it ({reason})")]
    #[diagnostic(
        code(agb::publish::branch_moved),
        help("someone pushed to {branch} meanwhile; fetch it, look at what they added, then run `agb publish --update` again")
    )]
    BranchMoved { branch: String, reason: String },
    #[error("the factory branch {base} kept moving on the remote while publishing")]
    #[diagnostic(
        code(agb::publish::remote_moved),
        help("someone is pushing to {base} right now; run the publish again in a moment")
    )]
    RemoteMoved { base: String },
    #[error("the factory has no branch {base}")]
    #[diagnostic(
        code(agb::publish::no_base),
        help("set `factory.branch` to the branch pull requests target")
    )]
    NoBase { base: String },
    #[error("the remote refused branch {branch}: {reason}")]
    #[diagnostic(
        code(agb::publish::push_rejected),
        help("check the remote's branch protection rules and your permissions")
    )]
    PushRejected { branch: String, reason: String },
    #[error("authentication to {remote} failed")]
    #[diagnostic(
        code(agb::publish::auth),
        help("git could not authenticate: configure a credential helper or SSH key for this remote (or set GITHUB_TOKEN for https://github.com)\n{detail}")
    )]
    Auth { remote: String, detail: String },
    #[error("cannot reach {remote}")]
    #[diagnostic(code(agb::publish::network), help("check the network and the factory URL\n{detail}"))]
    Network { remote: String, detail: String },
    #[error("publishing pushes a branch, and --offline forbids the network")]
    #[diagnostic(
        code(agb::publish::usage::offline),
        help("drop --offline, or use --dry-run / --no-push to work from the cache")
    )]
    Offline,
    #[error("cannot run git: {message}")]
    #[diagnostic(code(agb::publish::git_missing), help("agb publish needs the `git` program on PATH"))]
    GitSpawn { message: String },
    #[error("git failed while {what}: {message}")]
    #[diagnostic(
        code(agb::publish::git),
        help(
            "this is unexpected; run again with -v, or `agb factory fetch --refresh` if the cache is damaged"
        )
    )]
    Git { what: &'static str, message: String },
}

/// MODULE_METADATA.yaml of the local module cannot be edited (boxed: it carries the file).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("cannot set module.version in {path}: {message}")]
#[diagnostic(
    code(agb::publish::metadata),
    help("MODULE_METADATA.yaml must be valid YAML with `module:` as a block mapping (`module:` on its own line, keys indented below)")
)]
pub struct MetadataError {
    pub path: PathBuf,
    pub message: String,
    #[source_code]
    pub src: Option<miette::NamedSource<String>>,
    #[label("here")]
    pub span: Option<miette::SourceSpan>,
}
