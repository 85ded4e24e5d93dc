use super::*;

fn factory() -> FactoryIdentity {
    FactoryIdentity::new(
        "https://github.com/Org/cloud_iac_factory.git",
        Some("org/cloud_iac_factory"),
        "modules",
        "patterns",
    )
}

fn one(source: &str) -> Option<Reference> {
    let text = format!("module \"m\" {{\n  source = \"{source}\"\n}}\n");
    scan_file("main.tf", &text, &factory()).unwrap().into_iter().next()
}

#[test]
fn every_terraform_source_form_is_recognised() {
    let forms = [
        "git::https://github.com/org/cloud_iac_factory.git//modules/aws/networking/vpc/v1.2.0?ref=main",
        "git::https://github.com/org/cloud_iac_factory.git//modules/aws/networking/vpc/v1.2.0",
        "github.com/org/cloud_iac_factory//modules/aws/networking/vpc/v1.2.0",
        "github.com/Org/Cloud_IaC_Factory//modules/aws/networking/vpc/v1.2.0?ref=v1.2.0",
        "git::ssh://git@github.com/org/cloud_iac_factory.git//modules/aws/networking/vpc/v1.2.0?ref=x",
        "git@github.com:org/cloud_iac_factory.git//modules/aws/networking/vpc/v1.2.0",
        "git::git@github.com:org/cloud_iac_factory.git//modules/aws/networking/vpc/v1.2.0",
        "https://github.com/org/cloud_iac_factory//modules/aws/networking/vpc/v1.2.0",
    ];
    for form in forms {
        let r = one(form).unwrap_or_else(|| panic!("not recognised: {form}"));
        assert_eq!(
            (r.module.as_str(), r.version.as_deref()),
            ("aws/networking/vpc", Some("1.2.0")),
            "{form}"
        );
    }
}

#[test]
fn sources_outside_the_factory_are_ignored() {
    for form in [
        "terraform-aws-modules/vpc/aws",
        "./modules/vpc",
        "../shared",
        "github.com/org/other_repo//modules/aws/networking/vpc/v1.0.0",
        "git::https://gitlab.com/org/cloud_iac_factory.git//modules/aws/networking/vpc/v1.0.0",
        "git::https://github.com/org/cloud_iac_factory_fork.git//modules/a/b/c/v1.0.0",
    ] {
        assert_eq!(one(form), None, "{form}");
    }
}

#[test]
fn version_from_argument_or_ref_when_path_has_none() {
    let text = "module \"a\" {\n  source = \"github.com/org/cloud_iac_factory//modules/aws/networking/vpc\"\n  version = \"1.1.0\"\n}\nmodule \"b\" {\n  source = \"github.com/org/cloud_iac_factory//modules/aws/networking/vpc?ref=aws/networking/vpc/v1.0.0\"\n}\nmodule \"c\" {\n  source = \"github.com/org/cloud_iac_factory//modules/aws/networking/vpc?ref=main\"\n}\n";
    let refs = scan_file("x.tf", text, &factory()).unwrap();
    let got: Vec<Option<&str>> = refs.iter().map(|r| r.version.as_deref()).collect();
    assert_eq!(got, [Some("1.1.0"), Some("1.0.0"), None]);
}

#[test]
fn reference_carries_line_column_and_span() {
    let text = "# header\n\nmodule \"net\" {\n  source = \"github.com/org/cloud_iac_factory//modules/aws/networking/vpc/v9.9.9\"\n}\n";
    let r = scan_file("stack/main.tf", text, &factory()).unwrap().remove(0);
    assert_eq!((r.line, r.column, r.block.as_str()), (4, 12, "net"));
    assert_eq!(
        &text[r.span.0..r.span.0 + r.span.1],
        "\"github.com/org/cloud_iac_factory//modules/aws/networking/vpc/v9.9.9\""
    );
}

#[test]
fn local_factory_path_and_file_url_match_each_other() {
    let f = FactoryIdentity::new("/srv/git/factory.git", None, "modules", "patterns");
    assert!(f.locate("git::file:///srv/git/factory.git//modules/a/b/c/v1.0.0").is_some());
    assert!(f.locate("/srv/git/factory//modules/a/b/c/v1.0.0").is_some());
    assert!(f.locate("git::file:///srv/git/other.git//modules/a/b/c/v1.0.0").is_none());
}

#[cfg(unix)]
#[test]
fn a_reference_through_a_symlinked_directory_is_the_same_factory() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real");
    std::fs::create_dir_all(real.join("factory.git")).unwrap();
    std::os::unix::fs::symlink(&real, dir.path().join("link")).unwrap();
    let canonical = std::fs::canonicalize(real.join("factory.git")).unwrap();
    let f = FactoryIdentity::new(&canonical.to_string_lossy(), None, "modules", "patterns");
    let via_link = format!("git::file://{}/link/factory.git//modules/a/b/c/v1.0.0", dir.path().display());
    assert!(f.locate(&via_link).is_some());
}

#[test]
fn check_reports_missing_modules_and_versions_with_suggestions() {
    let mut modules = BTreeMap::new();
    let v = |s: &str| Version::parse(s).unwrap();
    modules.insert("aws/networking/vpc".to_string(), vec![v("1.0.0"), v("1.1.0"), v("2.0.0")]);
    modules.insert("aws/compute/ec2-instance".to_string(), vec![v("1.0.0")]);
    let mk = |module: &str, version: Option<&str>| Reference {
        kind: RefKind::Module,
        file: "f.tf".into(),
        line: 1,
        column: 1,
        span: (0, 0),
        block: "m".into(),
        source: String::new(),
        module: module.into(),
        version: version.map(Into::into),
    };
    let out = check(
        vec![
            mk("aws/networking/vpc", Some("1.1.0")),
            mk("aws/networking/vpc", Some("1.3.0")),
            mk("aws/networking/vpcs", Some("1.0.0")),
            mk("aws/networking/vpc", None),
            mk("aws/networking/vpc", Some("banana")),
        ],
        &modules,
        &[],
    );
    let got: Vec<(bool, Option<&str>)> = out.iter().map(|c| (c.exists, c.suggestion.as_deref())).collect();
    assert_eq!(
        got,
        [
            (true, None),
            (false, Some("aws/networking/vpc@1.1.0")),
            (false, Some("aws/networking/vpc")),
            (true, None),
            (false, Some("aws/networking/vpc@2.0.0")),
        ]
    );
}

#[test]
fn patterns_malformed_paths_and_version_constraints() {
    let v = |s: &str| Version::parse(s).unwrap();
    let modules = BTreeMap::from([("aws/networking/vpc".to_string(), vec![v("1.0.0"), v("1.2.0")])]);
    let patterns = ["three-tier-web".to_string()];
    let text = "module \"a\" { source = \"github.com/org/cloud_iac_factory//patterns/three-tier-web\" }\n\
                module \"b\" { source = \"github.com/org/cloud_iac_factory//patterns/three-tier\" }\n\
                module \"c\" { source = \"github.com/org/cloud_iac_factory//aws/networking/vpc/v1.0.0\" }\n\
                module \"d\" { source = \"github.com/org/cloud_iac_factory\" }\n\
                module \"e\" {\n  source = \"github.com/org/cloud_iac_factory//modules/aws/networking/vpc\"\n  version = \"~> 1.1\"\n}\n\
                module \"f\" {\n  source = \"github.com/org/cloud_iac_factory//modules/aws/networking/vpc\"\n  version = \">= 2.0\"\n}\n";
    let refs = scan_file("x.tf", text, &factory()).unwrap();
    let kinds: Vec<RefKind> = refs.iter().map(|r| r.kind).collect();
    use RefKind::*;
    assert_eq!(kinds, [Pattern, Pattern, Elsewhere, Elsewhere, Module, Module]);
    let out = check(refs, &modules, &patterns);
    let got: Vec<(bool, Option<&str>)> = out.iter().map(|c| (c.exists, c.suggestion.as_deref())).collect();
    assert_eq!(
        got,
        [
            (true, None),
            (false, Some("patterns/three-tier-web")),
            (false, Some("aws/networking/vpc")),
            (false, None),
            (true, None),
            (false, Some("aws/networking/vpc@1.2.0")),
        ]
    );
}

#[test]
fn a_folder_that_is_no_version_and_dot_dot_segments_are_not_taken_for_the_module() {
    let v = |s: &str| Version::parse(s).unwrap();
    let modules = BTreeMap::from([("aws/networking/vpc".to_string(), vec![v("1.1.0"), v("1.2.0")])]);
    let base = "github.com/org/cloud_iac_factory//modules/aws/networking/vpc";
    let text = format!(
        "module \"a\" {{ source = \"{base}/vX\" }}\n\
         module \"b\" {{ source = \"{base}/latest\" }}\n\
         module \"c\" {{ source = \"{base}/v1.2.0/../../../../../etc\" }}\n\
         module \"d\" {{ source = \"{base}/v1.2.0/../v1.1.0\" }}\n\
         module \"e\" {{ source = \"{base}/v1.2.0/../../../../../..\" }}\n\
         module \"f\" {{ source = \"{base}/v1.2.0/modules/sub\" }}\n"
    );
    let refs = scan_file("x.tf", &text, &factory()).unwrap();
    let got: Vec<(RefKind, &str, Option<&str>)> =
        refs.iter().map(|r| (r.kind, r.module.as_str(), r.version.as_deref())).collect();
    use RefKind::*;
    assert_eq!(
        got,
        [
            (Module, "aws/networking/vpc", Some("X")),
            (Module, "aws/networking/vpc", Some("latest")),
            (Elsewhere, "etc", None),
            (Module, "aws/networking/vpc", Some("1.1.0")),
            (Elsewhere, "modules/aws/networking/vpc/v1.2.0/../../../../../..", None),
            (Module, "aws/networking/vpc", Some("1.2.0")),
        ]
    );
    let exists: Vec<bool> = check(refs, &modules, &[]).iter().map(|c| c.exists).collect();
    assert_eq!(exists, [false, false, false, true, false, true]);
}

#[cfg(unix)]
#[test]
fn an_unreadable_directory_is_an_error_not_a_silent_skip() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("sub");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(sub.join("main.tf"), "").unwrap();
    std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o000)).unwrap();
    // root reads it anyway: then there is nothing to check here
    let denied = std::fs::read_dir(&sub).is_err();
    let result = collect_tf_files(&[dir.path().to_path_buf()]);
    std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o755)).unwrap();
    if denied {
        assert!(matches!(result, Err(ValidateError::Read { .. })), "{result:?}");
    }
}

#[test]
fn collect_skips_dot_terraform_and_non_tf() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join(".terraform/modules/x")).unwrap();
    std::fs::create_dir_all(root.join("env/prod")).unwrap();
    std::fs::write(root.join(".terraform/modules/x/main.tf"), "").unwrap();
    std::fs::write(root.join("env/prod/main.tf"), "").unwrap();
    std::fs::write(root.join("main.tf"), "").unwrap();
    std::fs::write(root.join("notes.md"), "").unwrap();
    let files = collect_tf_files(&[root.to_path_buf()]).unwrap();
    let rel: Vec<String> = files.iter().map(|p| crate::fsutil::rel_slash(root, p).unwrap()).collect();
    assert_eq!(rel, ["env/prod/main.tf", "main.tf"]);
    assert!(collect_tf_files(&[root.join("nope")]).is_err());
    #[cfg(unix)]
    {
        // a symlinked file counts (Terraform reads it); a symlinked directory is not walked
        let shared = tempfile::tempdir().unwrap();
        std::fs::write(shared.path().join("providers.tf"), "").unwrap();
        std::os::unix::fs::symlink(shared.path().join("providers.tf"), root.join("env/prod/providers.tf"))
            .unwrap();
        std::os::unix::fs::symlink(shared.path(), root.join("shared-link")).unwrap();
        let files = collect_tf_files(&[root.to_path_buf()]).unwrap();
        let rel: Vec<String> = files.iter().map(|p| crate::fsutil::rel_slash(root, p).unwrap()).collect();
        assert_eq!(rel, ["env/prod/main.tf", "env/prod/providers.tf", "main.tf"]);
        std::fs::remove_file(root.join("env/prod/providers.tf")).unwrap();
    }
    // named twice (directory and file, or through `.`): checked once, where first named
    let twice =
        collect_tf_files(&[root.join("main.tf"), root.to_path_buf(), root.join("./main.tf")]).unwrap();
    let rel: Vec<String> = twice.iter().map(|p| crate::fsutil::rel_slash(root, p).unwrap()).collect();
    assert_eq!(rel, ["main.tf", "env/prod/main.tf"]);
}

#[test]
fn sources_into_another_repositorys_modules_are_unattributed_only_without_repository() {
    let local = FactoryIdentity::new("/srv/factory.git", None, "modules", "patterns");
    assert!(local.unattributed("git::https://github.com/acme/factory.git//modules/aws/networking/vpc"));
    assert!(local.unattributed("git@github.com:acme/factory.git//patterns/web?ref=v1.0.0"));
    assert!(!local.unattributed("git::https://github.com/acme/tools.git//scripts/x"));
    assert!(!local.unattributed("hashicorp/consul/aws"));
    assert!(!local.unattributed("./modules/vpc"));
    assert!(!local.unattributed("/srv/factory.git//modules/aws/networking/vpc"), "that one is the factory");
    assert!(!factory().unattributed("git::https://github.com/acme/factory.git//modules/aws/networking/vpc"));
}
