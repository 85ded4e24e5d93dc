use super::*;
use std::collections::BTreeSet;

fn model(files: &[(&str, &str)]) -> ModuleModel {
    parse_module(files.iter().map(|(p, t)| (*p, t.as_bytes()))).expect("fixture parses")
}

fn bump_of(old: &[(&str, &str)], new: &[(&str, &str)]) -> Suggestion {
    suggest(&model(old), &model(new), &["x.tf".to_string()])
}

fn texts(s: &Suggestion) -> Vec<&str> {
    s.reasons.iter().map(|r| r.text.as_str()).collect()
}

#[test]
fn normalize_ignores_layout_and_comments() {
    assert_eq!(normalize_hcl("list( string )"), "list(string)");
    assert_eq!(
        normalize_hcl("object({\n  a = string # the a\n  b = number\n})"),
        "object({a=string b=number})"
    );
    assert_eq!(normalize_hcl("\"a  b\" /* c */"), "\"a  b\"");
}

#[test]
fn constraint_parsing_and_strictness() {
    let c = |s| Constraint::parse(s).unwrap();
    use ConstraintChange::*;
    assert_eq!(c(">= 1.3").change_to(&c(">= 2.0")), Tightened);
    assert_eq!(c(">= 1.3").change_to(&c(">= 1.5")), RaisedMinimumSameMajor);
    assert_eq!(c(">= 0.12").change_to(&c(">= 0.13")), Tightened, "0.x: the minor is the major line");
    assert_eq!(c(">= 0.12.6").change_to(&c(">= 0.12.31")), RaisedMinimumSameMajor);
    assert_eq!(c(">= 1.3").change_to(&c(">= 1.5, < 2.0")), Tightened, "a new maximum is stricter");
    assert_eq!(c(">= 1.5").change_to(&c(">= 1.3")), Widened);
    assert_eq!(c(">= 1.3").change_to(&c(">=1.3.0")), Same);
    assert_eq!(c("~> 5.0").change_to(&c(">= 5.0, < 6.0")), Same);
    assert_eq!(c("~> 4.0").change_to(&c("~> 5.0")), Tightened, "higher minimum wins over a higher maximum");
    assert_eq!(c(">= 4.0, < 6.0").change_to(&c(">= 4.0")), Widened);
    assert_eq!(c(">= 4.0").change_to(&c(">= 4.0, < 6.0")), Tightened);
    assert_eq!(c("~> 5.0.1").change_to(&c(">= 5.0.1, < 5.1.0")), Same);
    assert_eq!(c(">= 1.0").change_to(&c(">= 1.0, != 1.2.0")), Tightened);
    assert_eq!(c("1.2.3").change_to(&c("= 1.2.3")), Same);
    assert_eq!(c(">= 1.0").change_to(&c("> 1.0")), RaisedMinimumSameMajor);
    assert!(Constraint::parse(">= banana").is_none());
    let v = |s: &str| semver::Version::parse(s).unwrap();
    assert!(c("~> 1.2").allows(&v("1.9.0")) && !c("~> 1.2").allows(&v("2.0.0")));
    assert!(c(">= 1.0, != 1.1.0").allows(&v("1.2.0")) && !c(">= 1.0, != 1.1.0").allows(&v("1.1.0")));
    assert!(!c("> 1.0").allows(&v("1.0.0")) && c("<= 1.0").allows(&v("1.0.0")));
}

fn arb_constraint() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let part = (
        prop::sample::select(vec![">=", ">", "<=", "<", "=", "!=", "~>", ""]),
        0u64..4,
        0u64..4,
        0u64..4,
        1usize..=3,
    )
        .prop_map(|(op, a, b, c, n)| {
            let v = [a.to_string(), b.to_string(), c.to_string()][..n].join(".");
            format!("{op} {v}")
        });
    prop::collection::vec(part, 1..=3).prop_map(|parts| parts.join(", "))
}

proptest::proptest! {
    /// The strictness verdict agrees with the versions each side accepts: widened accepts a
    /// superset, same accepts the same set, tightened rejects something the old one accepted.
    #[test]
    fn constraint_change_agrees_with_the_versions_accepted(a in arb_constraint(), b in arb_constraint()) {
        let (ca, cb) = (Constraint::parse(&a).unwrap(), Constraint::parse(&b).unwrap());
        let grid: Vec<semver::Version> = (0..6)
            .flat_map(|x| (0..6).flat_map(move |y| (0..6).map(move |z| semver::Version::new(x, y, z))))
            .collect();
        let accepts = |c: &Constraint| grid.iter().filter(|v| c.allows(v)).cloned().collect::<BTreeSet<_>>();
        let (sa, sb) = (accepts(&ca), accepts(&cb));
        match ca.change_to(&cb) {
            ConstraintChange::Same => proptest::prop_assert_eq!(&sa, &sb, "{} -> {}", a, b),
            ConstraintChange::Widened => proptest::prop_assert!(sa.is_subset(&sb), "{} -> {}", a, b),
            ConstraintChange::Tightened | ConstraintChange::RaisedMinimumSameMajor => {
                if !sa.is_empty() {
                    proptest::prop_assert!(!sa.is_subset(&sb), "{} -> {} rejects nothing new", a, b);
                }
            }
        }
    }
}

#[test]
fn identical_is_none_and_file_only_change_is_patch() {
    let files = [("main.tf", "resource \"a\" \"b\" {}\n")];
    assert_eq!(suggest(&model(&files), &model(&files), &[]).bump, Bump::None);
    let s = suggest(&model(&files), &model(&files), &["README.md".to_string()]);
    assert_eq!(s.bump, Bump::Patch);
    assert_eq!(texts(&s), ["no interface change; files changed: README.md"]);
}

#[test]
fn formatting_only_change_is_patch_without_interface_reasons() {
    let a = [("variables.tf", "variable \"x\" {\n  type = list(string)\n}\n")];
    let b = [("variables.tf", "variable \"x\" {\n  type    =    list( string ) # tidy\n}\n")];
    let s = bump_of(&a, &b);
    assert_eq!(s.bump, Bump::Patch);
    assert!(texts(&s)[0].starts_with("no interface change"), "{s:?}");
}

#[test]
fn variable_rules() {
    let base = [("variables.tf", "variable \"x\" {\n  type = string\n  default = \"a\"\n}\n")];
    let removed = [("variables.tf", "")];
    assert_eq!(texts(&bump_of(&base, &removed)), ["variable `x` removed"]);
    assert_eq!(bump_of(&base, &removed).bump, Bump::Major);

    let renamed = [("variables.tf", "variable \"y\" {\n  type = string\n  default = \"a\"\n}\n")];
    assert_eq!(texts(&bump_of(&base, &renamed)), ["variable `x` renamed to `y`"]);

    let required_added =
        [("variables.tf", "variable \"x\" {\n type = string\n default = \"a\"\n}\nvariable \"z\" {}\n")];
    let s = bump_of(&base, &required_added);
    assert_eq!(
        (s.bump, texts(&s)),
        (Bump::Major, vec!["variable `z` added without a default (callers must set it)"])
    );

    let optional_added = [(
        "variables.tf",
        "variable \"x\" {\n type = string\n default = \"a\"\n}\nvariable \"z\" { default = null }\n",
    )];
    let s = bump_of(&base, &optional_added);
    assert_eq!((s.bump, texts(&s)), (Bump::Minor, vec!["variable `z` added (optional)"]));

    let retyped = [("variables.tf", "variable \"x\" {\n  type = list(string)\n  default = \"a\"\n}\n")];
    let s = bump_of(&base, &retyped);
    assert_eq!(
        (s.bump, texts(&s)),
        (Bump::Major, vec!["variable `x` type changed from `string` to `list(string)`"])
    );

    let no_default = [("variables.tf", "variable \"x\" {\n  type = string\n}\n")];
    let s = bump_of(&base, &no_default);
    assert_eq!(
        (s.bump, texts(&s)),
        (Bump::Major, vec!["variable `x` default removed (callers must set it)"])
    );
    let s = bump_of(&no_default, &base);
    assert_eq!((s.bump, texts(&s)), (Bump::Minor, vec!["variable `x` got a default (now optional)"]));

    let new_default = [("variables.tf", "variable \"x\" {\n  type = string\n  default = \"b\"\n}\n")];
    let s = bump_of(&base, &new_default);
    assert_eq!(
        (s.bump, texts(&s)),
        (Bump::Patch, vec!["variable `x` default changed from `\"a\"` to `\"b\"`"])
    );

    let described = [(
        "variables.tf",
        "variable \"x\" {\n  description = \"X\"\n  type = string\n  default = \"a\"\n}\n",
    )];
    assert_eq!(bump_of(&base, &described).bump, Bump::Patch);
}

#[test]
fn optional_object_attributes_are_a_minor_change() {
    let ty = |t: &str| [("variables.tf", format!("variable \"x\" {{\n  type = {t}\n  default = null\n}}\n"))];
    let run = |a: &str, b: &str| {
        let (a, b) = (ty(a), ty(b));
        let (a, b) =
            (a.each_ref().map(|(p, t)| (*p, t.as_str())), b.each_ref().map(|(p, t)| (*p, t.as_str())));
        bump_of(&a, &b)
    };
    let s = run(
        "object({\n    name = string\n  })",
        "object({\n    name = string\n    tags = optional(map(string), {})\n  })",
    );
    assert_eq!(
        (s.bump, texts(&s)),
        (Bump::Minor, vec!["variable `x` type gained optional attribute(s) `tags`"])
    );
    let s = run(
        "list(object({ name = string, rule = object({ port = number }) }))",
        "list(object({ name = string, rule = object({ port = number, cidr = optional(string) }) }))",
    );
    assert_eq!(
        (s.bump, texts(&s)),
        (Bump::Minor, vec!["variable `x` type gained optional attribute(s) `rule.cidr`"])
    );
    let s = run(
        "list(object({ name = string, cidr = string }))",
        "list(object({ name = string, cidr = optional(string, \"10.0.0.0/8\"), tags = optional(map(string)) }))",
    );
    assert_eq!(
        (s.bump, texts(&s)),
        (
            Bump::Minor,
            vec![
                "variable `x` type gained optional attribute(s) `tags` and made attribute(s) `cidr` optional"
            ]
        )
    );
    // Made optional with another type is still a type change; so is optional made required.
    assert_eq!(run("object({ a = string })", "object({ a = optional(number) })").bump, Bump::Major);
    assert_eq!(run("object({ a = optional(string) })", "object({ a = string })").bump, Bump::Major);
    // A required attribute, a removed one, or a changed optional default stays major.
    assert_eq!(run("object({ a = string })", "object({ a = string, b = string })").bump, Bump::Major);
    assert_eq!(
        run("object({ a = string, b = optional(string) })", "object({ a = string })").bump,
        Bump::Major
    );
    assert_eq!(
        run("object({ a = optional(string, \"x\") })", "object({ a = optional(string, \"y\") })").bump,
        Bump::Major
    );
}

#[test]
fn output_rules() {
    let base = [("outputs.tf", "output \"id\" { value = aws_s3_bucket.this.id }\n")];
    let removed = [("outputs.tf", "")];
    let s = bump_of(&base, &removed);
    assert_eq!((s.bump, texts(&s)), (Bump::Major, vec!["output `id` removed"]));
    let added =
        [("outputs.tf", "output \"id\" { value = aws_s3_bucket.this.id }\noutput \"arn\" { value = 1 }\n")];
    let s = bump_of(&base, &added);
    assert_eq!((s.bump, texts(&s)), (Bump::Minor, vec!["output `arn` added"]));
    let changed = [("outputs.tf", "output \"id\" { value = aws_s3_bucket.this.bucket }\n")];
    assert_eq!(bump_of(&base, &changed).bump, Bump::Patch);
}

#[test]
fn resource_and_module_call_rules() {
    let base = [("main.tf", "resource \"aws_s3_bucket\" \"this\" {}\nmodule \"m\" { source = \"./m\" }\n")];
    let gone = [("main.tf", "module \"m\" { source = \"./m\" }\n")];
    let s = bump_of(&base, &gone);
    assert_eq!(
        (s.bump, texts(&s)),
        (Bump::Major, vec!["resource `aws_s3_bucket.this` removed without a `moved` block"])
    );

    let moved = [(
        "main.tf",
        "resource \"aws_s3_bucket\" \"main\" {}\nmodule \"m\" { source = \"./m\" }\nmoved {\n  from = aws_s3_bucket.this[0]\n  to = aws_s3_bucket.main\n}\n",
    )];
    let s = bump_of(&base, &moved);
    assert_eq!(
        (s.bump, texts(&s)),
        (Bump::Patch, vec!["resource `aws_s3_bucket.this` moved to `aws_s3_bucket.main`"])
    );

    let call_gone = [("main.tf", "resource \"aws_s3_bucket\" \"this\" {}\n")];
    let s = bump_of(&base, &call_gone);
    assert_eq!(
        (s.bump, texts(&s)),
        (Bump::Major, vec!["module call `module.m` removed without a `moved` block"])
    );

    let more = [(
        "main.tf",
        "resource \"aws_s3_bucket\" \"this\" {}\nresource \"aws_s3_bucket_policy\" \"p\" {}\nmodule \"m\" { source = \"./m\" }\nmodule \"n\" { source = \"./n\" }\n",
    )];
    let s = bump_of(&base, &more);
    assert_eq!(
        (s.bump, texts(&s)),
        (Bump::Minor, vec!["resource `aws_s3_bucket_policy.p` added", "module call `module.n` added"])
    );
}

#[test]
fn version_constraint_rules() {
    let v = |rv: &str, aws: &str| {
        format!(
            "terraform {{\n  required_version = \"{rv}\"\n  required_providers {{\n    aws = {{\n      source = \"hashicorp/aws\"\n      version = \"{aws}\"\n    }}\n  }}\n}}\n"
        )
    };
    let base = v(">= 1.3", ">= 4.0");
    let s = bump_of(&[("versions.tf", &base)], &[("versions.tf", &v(">= 1.5", ">= 4.0"))]);
    assert_eq!((s.bump, texts(&s)), (Bump::Major, vec!["required_version tightened from >= 1.3 to >= 1.5"]));
    let s = bump_of(&[("versions.tf", &base)], &[("versions.tf", &v(">= 1.3", ">= 4.2"))]);
    assert_eq!(
        (s.bump, texts(&s)),
        (
            Bump::Minor,
            vec!["provider `aws` constraint minimum raised within the same major from >= 4.0 to >= 4.2"]
        )
    );
    let s = bump_of(&[("versions.tf", &base)], &[("versions.tf", &v(">= 1.3", ">= 4.0, < 5.0"))]);
    assert_eq!(
        (s.bump, texts(&s)),
        (Bump::Major, vec!["provider `aws` constraint tightened from >= 4.0 to >= 4.0, < 5.0"])
    );
    let s = bump_of(&[("versions.tf", &base)], &[("versions.tf", &v(">= 1.3", ">= 5.0"))]);
    assert_eq!(
        (s.bump, texts(&s)),
        (Bump::Major, vec!["provider `aws` constraint tightened from >= 4.0 to >= 5.0"])
    );
    let s = bump_of(&[("versions.tf", &base)], &[("versions.tf", &v(">= 1.3", ">= 3.0"))]);
    assert_eq!(
        (s.bump, texts(&s)),
        (Bump::Minor, vec!["provider `aws` constraint widened from >= 4.0 to >= 3.0"])
    );
    let s = bump_of(&[("versions.tf", &base)], &[("versions.tf", &v(">= 1.3.0", ">= 4.0"))]);
    assert_eq!(s.bump, Bump::Patch);
    // The 0.12 shorthand form is read too.
    let short = "terraform {\n  required_providers {\n    aws = \">= 2.0\"\n  }\n}\n";
    let short2 = "terraform {\n  required_providers {\n    aws = \">= 3.0\"\n  }\n}\n";
    assert_eq!(bump_of(&[("versions.tf", short)], &[("versions.tf", short2)]).bump, Bump::Major);
}

#[test]
fn submodules_are_compared_by_directory() {
    let base = [("main.tf", "variable \"a\" {}\n"), ("modules/sub/main.tf", "output \"o\" { value = 1 }\n")];
    let sub_gone = [("main.tf", "variable \"a\" {}\n")];
    let s = bump_of(&base, &sub_gone);
    assert_eq!((s.bump, texts(&s)), (Bump::Major, vec!["submodule `modules/sub` removed"]));
    let s = bump_of(&sub_gone, &base);
    assert_eq!((s.bump, texts(&s)), (Bump::Minor, vec!["submodule `modules/sub` added"]));
    let sub_changed = [("main.tf", "variable \"a\" {}\n"), ("modules/sub/main.tf", "")];
    let s = bump_of(&base, &sub_changed);
    assert_eq!(texts(&s), ["output `o` removed in `modules/sub`"]);
}

#[test]
fn examples_are_not_interface() {
    let base = [
        ("main.tf", "variable \"a\" {}\n"),
        ("examples/basic/main.tf", "module \"x\" { source = \"../..\" }\n"),
    ];
    let gone = [("main.tf", "variable \"a\" {}\n")];
    assert_eq!(bump_of(&base, &gone).bump, Bump::Patch);
}

#[test]
fn reasons_are_sorted_strongest_first() {
    let a = [("main.tf", "variable \"a\" { default = 1 }\noutput \"o\" { value = 1 }\n")];
    let b = [(
        "main.tf",
        "variable \"a\" { default = 2 }\noutput \"p\" { value = 1 }\noutput \"o2\" { value = 1 }\n",
    )];
    let s = bump_of(&a, &b);
    let bumps: Vec<Bump> = s.reasons.iter().map(|r| r.bump).collect();
    assert_eq!(bumps, [Bump::Major, Bump::Minor, Bump::Minor, Bump::Patch]);
}

#[test]
fn invalid_hcl_names_file_and_line() {
    let err =
        parse_module([("main.tf", "variable \"a\" {\n  type = \n}\nresource {".as_bytes())]).unwrap_err();
    let msg = err.to_string();
    assert!(msg.starts_with("main.tf:"), "{msg}");
    match err {
        BumpError::InvalidHcl(e) => assert!(e.line >= 2, "line {}", e.line),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn crlf_files_parse_like_lf() {
    let lf = "variable \"x\" {\n  type = string\n  default = \"a\"\n}\n";
    let crlf = lf.replace('\n', "\r\n");
    // Places differ (CRLF is one byte longer); everything the rules compare does not.
    let strip = |mut m: ModuleModel| {
        m.sources.clear();
        for d in m.dirs.values_mut() {
            d.locs.clear();
        }
        m
    };
    assert_eq!(strip(model(&[("v.tf", lf)])), strip(model(&[("v.tf", &crlf)])));
}

#[test]
fn apply_bumps_versions() {
    let v = semver::Version::parse("1.2.3").unwrap();
    assert_eq!(Bump::Major.apply(&v).to_string(), "2.0.0");
    assert_eq!(Bump::Minor.apply(&v).to_string(), "1.3.0");
    assert_eq!(Bump::Patch.apply(&v).to_string(), "1.2.4");
    assert_eq!(Bump::None.apply(&v).to_string(), "1.2.3");
}

fn reads_of(main: &str) -> Vec<String> {
    let m = model(&[("variables.tf", "variable \"s\" { type = any }\n"), ("main.tf", main)]);
    m.dirs[""].reads.paths.keys().cloned().collect()
}

#[test]
fn the_implicit_interface_follows_every_way_of_reading_a_key() {
    assert_eq!(reads_of("resource \"a\" \"b\" { x = var.s.k }\n"), ["var.s.k"]);
    assert_eq!(reads_of("resource \"a\" \"b\" { x = try(var.s.k, 1) }\n"), ["var.s.k"]);
    assert_eq!(reads_of("resource \"a\" \"b\" { x = lookup(var.s, \"k\", 1) }\n"), ["var.s.k"]);
    assert_eq!(reads_of("resource \"a\" \"b\" { x = var.s[\"k\"].j }\n"), ["var.s.k.j"]);
    assert_eq!(
        reads_of(
            "resource \"a\" \"b\" {\n  for_each = var.s\n  x = each.value.k\n  y = each.value[\"j\"]\n}\n"
        ),
        ["var.s", "var.s[*].j", "var.s[*].k"]
    );
    let dynamic = "resource \"a\" \"b\" {\n  dynamic \"rule\" {\n    for_each = try(var.s.rules, [])\n    content {\n      p = rule.value.port\n    }\n  }\n}\n";
    assert_eq!(reads_of(dynamic), ["var.s.rules", "var.s.rules[*].port"]);
    let iterator = "resource \"a\" \"b\" {\n  dynamic \"rule\" {\n    for_each = var.s.rules == null ? [] : [var.s.rules]\n    iterator = r\n    content {\n      p = r.value.port\n    }\n  }\n}\n";
    assert!(reads_of(iterator).contains(&"var.s.rules.port".to_string()), "{:?}", reads_of(iterator));
    let local = "locals {\n  cfg = var.s\n}\nresource \"a\" \"b\" { x = local.cfg.k }\n";
    assert_eq!(reads_of(local), ["var.s", "var.s.k"]);
    let for_expr = "output \"o\" { value = [for r in var.s.rules : r.name] }\n";
    assert_eq!(reads_of(for_expr), ["var.s.rules", "var.s.rules[*].name"]);
    assert_eq!(reads_of("resource \"a\" \"b\" { x = \"${var.s.k}-x\" }\n"), ["var.s.k"]);
}

#[test]
fn implicit_interface_rules() {
    let vars = ("variables.tf", "variable \"s\" {\n  type = any\n  default = {}\n}\n");
    let run = |a: &str, b: &str| bump_of(&[vars, ("main.tf", a)], &[vars, ("main.tf", b)]);
    let base = "resource \"a\" \"b\" {\n  x = try(var.s.k, 1)\n  y = var.s.j\n}\n";
    let s = run(
        base,
        "resource \"a\" \"b\" {\n  x = try(var.s.k, 1)\n  y = var.s.j\n  z = try(var.s.new, null)\n}\n",
    );
    assert_eq!((s.bump, texts(&s)), (Bump::Minor, vec!["variable `s`: `new` now read (new optional input)"]));
    let s = run(base, "resource \"a\" \"b\" {\n  x = try(var.s.k, 1)\n}\n");
    assert_eq!(s.bump, Bump::Major);
    assert_eq!(
        texts(&s),
        ["variable `s`: `j` no longer read (a caller's setting would be silently ignored)"]
    );
    assert!(s.reasons[0].in_old && s.reasons[0].loc.as_ref().unwrap().line == 3);
    let s = run(base, "resource \"a\" \"b\" {\n  x = try(var.s.k, 2)\n  y = var.s.j\n}\n");
    assert_eq!(
        (s.bump, texts(&s)),
        (Bump::Patch, vec!["variable `s`: fallback of `k` changed from `1` to `2`"])
    );
    let s = run(base, "resource \"a\" \"b\" {\n  x = try(var.s.k, 1)\n  y = try(var.s.j, null)\n}\n");
    assert_eq!(
        (s.bump, texts(&s)),
        (Bump::Minor, vec!["variable `s`: `j` now optional (read with a fallback)"])
    );
    // Passing the whole value on keeps every key working.
    let s = run(base, "resource \"a\" \"b\" {\n  settings = var.s\n}\n");
    assert_eq!(s.bump, Bump::Patch, "{s:?}");
}

#[test]
fn declared_attributes_of_typed_variables_are_tracked_too() {
    let typed = ("variables.tf", "variable \"s\" {\n  type = object({ k = number, j = string })\n}\n");
    let base = "resource \"a\" \"b\" {\n  x = var.s.k\n  y = var.s.j\n}\n";
    let run = |vars: (&'static str, &'static str), a: &str, b: &str| {
        bump_of(&[vars, ("main.tf", a)], &[vars, ("main.tf", b)])
    };
    // The type still asks callers for `j`, the code ignores it.
    let s = run(typed, base, "resource \"a\" \"b\" {\n  x = var.s.k\n}\n");
    assert_eq!(
        (s.bump, texts(&s)),
        (
            Bump::Major,
            vec!["variable `s`: `j` no longer read (a caller's setting would be silently ignored)"]
        )
    );
    // A declared attribute read for the first time: a setting that now takes effect.
    let s = run(typed, "resource \"a\" \"b\" {\n  x = var.s.k\n}\n", base);
    assert_eq!(
        (s.bump, texts(&s)),
        (
            Bump::Minor,
            vec!["variable `s`: `j` now read (declared in its type, ignored before: a setting that now takes effect)"]
        )
    );
    // Through a dynamic block over a list of objects; the whole object passed on reads every key.
    let list = (
        "variables.tf",
        "variable \"r\" {\n  type = list(object({ name = string, cidr = optional(string) }))\n}\n",
    );
    let dynamic = |keys: &str| {
        format!("resource \"a\" \"b\" {{\n  dynamic \"range\" {{\n    for_each = var.r\n    content {{\n{keys}    }}\n  }}\n}}\n")
    };
    let both = dynamic("      name = range.value.name\n      cidr = range.value.cidr\n");
    let s = run(list, &both, &dynamic("      name = range.value.name\n"));
    assert_eq!(
        texts(&s),
        ["variable `r`: `[*].cidr` no longer read (a caller's setting would be silently ignored)"]
    );
    let whole = "resource \"a\" \"b\" {\n  ranges = var.r\n}\n";
    assert_eq!(run(list, whole, &both).bump, Bump::Patch);
    // Map keys are the caller's data, not attributes: `tags.Name` no longer read says nothing.
    let map = ("variables.tf", "variable \"tags\" {\n  type = map(string)\n}\n");
    let s = run(map, "resource \"a\" \"b\" { n = var.tags.Name }\n", "resource \"a\" \"b\" { n = 1 }\n");
    assert_eq!(s.bump, Bump::Patch);
}

#[test]
fn instance_keys_and_child_module_rules() {
    let s = bump_of(
        &[("main.tf", "resource \"a\" \"b\" {\n  count = 2\n}\n")],
        &[("main.tf", "resource \"a\" \"b\" {\n  for_each = toset([\"x\"])\n}\n")],
    );
    assert_eq!((s.bump, s.reasons[0].rule), (Bump::Major, "instance_keys_changed"));
    // count added to a single resource: Terraform moves `a.b` to `a.b[0]` itself.
    let s = bump_of(
        &[("main.tf", "resource \"a\" \"b\" {}\n")],
        &[("main.tf", "resource \"a\" \"b\" {\n  count = 1\n}\n")],
    );
    assert_eq!(s.bump, Bump::Patch);
    let call = |v: &str| format!("module \"m\" {{\n  source = \"git::https://x/m.git?ref={v}\"\n}}\n");
    let s = bump_of(&[("main.tf", &call("v1.2.0"))], &[("main.tf", &call("v2.0.0"))]);
    assert_eq!((s.bump, s.reasons[0].rule), (Bump::Major, "module_version_major"));
    let s = bump_of(&[("main.tf", &call("v1.2.0"))], &[("main.tf", &call("v1.3.0"))]);
    assert_eq!((s.bump, s.reasons[0].rule), (Bump::Patch, "module_version_changed"));
}

#[test]
fn an_argument_written_as_blocks_instead_is_major() {
    let arg = "resource \"g\" \"s\" {\n  range = [for r in var.r : r]\n  name = \"n\"\n}\n";
    let dynamic = "resource \"g\" \"s\" {\n  name = \"n\"\n  dynamic \"range\" {\n    for_each = var.r\n    content {\n      cidr = range.value.cidr\n    }\n  }\n}\n";
    let s = bump_of(&[("main.tf", arg)], &[("main.tf", dynamic)]);
    assert_eq!((s.bump, s.reasons[0].rule), (Bump::Major, "argument_form_changed"));
    assert_eq!(
        s.reasons[0].text,
        "resource `g.s`: `range` changed from an argument (`=`) to blocks (an empty value now leaves existing entries alone instead of removing them)"
    );
    let back = bump_of(&[("main.tf", dynamic)], &[("main.tf", arg)]);
    assert_eq!((back.bump, back.reasons[0].rule), (Bump::Major, "argument_form_changed"));
    // Static blocks made dynamic, and nested arguments, are the same form: nothing to say.
    let fixed = "resource \"g\" \"s\" {\n  name = \"n\"\n  range {\n    cidr = var.c\n  }\n}\n";
    assert_eq!(bump_of(&[("main.tf", fixed)], &[("main.tf", dynamic)]).bump, Bump::Patch);
    let nested = |w: &str| format!("resource \"g\" \"s\" {{\n  website {{\n    {w}\n  }}\n}}\n");
    let s = bump_of(
        &[("main.tf", &nested("index = [var.i]"))],
        &[("main.tf", &nested("index {\n      doc = var.i\n    }"))],
    );
    assert!(texts(&s)[0].starts_with("resource `g.s`: `website.index` changed"), "{:?}", texts(&s));
    // A map written as a block (Terraform 0.11's `triggers { … }`) made `triggers = { … }`.
    let s = bump_of(
        &[("main.tf", "resource \"n\" \"r\" {\n  triggers {\n    a = 1\n  }\n}\n")],
        &[("main.tf", "resource \"n\" \"r\" {\n  triggers = {\n    a = 1\n  }\n}\n")],
    );
    assert_eq!(s.bump, Bump::Patch, "{:?}", texts(&s));
}

#[test]
fn the_policy_sets_the_level_and_is_named() {
    let v = |aws: &str| format!("terraform {{\n  required_providers {{\n    aws = \">= {aws}\"\n  }}\n}}\n");
    let (a, b) = (v("4.0"), v("4.2"));
    let (old, new) = (model(&[("versions.tf", &a)]), model(&[("versions.tf", &b)]));
    let s = suggest(&old, &new, &["versions.tf".to_string()]);
    assert_eq!(s.bump, Bump::Minor);
    assert_eq!(s.decided_by.as_ref().unwrap().source, "default");
    let strict = Policy::parse("provider_minimum_raised_same_major: major\n", "p.yaml").unwrap();
    let s = suggest_with(&old, &new, &["versions.tf".to_string()], &strict);
    assert_eq!(s.bump, Bump::Major);
    assert_eq!(s.decided_by.unwrap().to_string(), "`provider_minimum_raised_same_major: major` (p.yaml:1)");
    // An upper bound is its own class.
    let s = suggest(&old, &model(&[("versions.tf", &v("4.0, < 5.0"))]), &[]);
    assert_eq!((s.bump, s.reasons[0].rule), (Bump::Major, "provider_upper_bound_added"));
}
