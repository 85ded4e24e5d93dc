//! Planning a resource's main file: observe it against the manifest, ask [`decide_main`]
//! (pure) what to do, and compute the new source texts (the description patcher runs here) so
//! the plan shows exactly what a sync would write.
//!
//! Not here: the decision table itself (`decide_main`), the line-level patcher (`patch`),
//! skill extras (`extras`).

use std::path::Path;

use super::decide_main::{decide_main, must_read, Differs, MainDecision, MainFacts};
use super::error::SyncError;
use super::observe::{read_source, read_utf8, Observed};
use super::patch::{self, InsertAt, PatchError};
use super::plan::Action;
use super::resource::Ctx;
use crate::fsutil;
use crate::names::{ResourceKind, Target};
use crate::source::{DescriptionOrigin, Resource};
use crate::targets;

/// What planning the main file found.
pub(super) struct MainOutcome {
    pub(super) actions: Vec<Action>,
    pub(super) decision: MainDecision,
}

impl Ctx<'_> {
    pub(super) fn plan_main(
        &self,
        r: &Resource,
        main_rel: &str,
        main: &Observed,
    ) -> Result<MainOutcome, SyncError> {
        let base = self.manifest.and_then(|m| m.file(main_rel));
        let mut facts = MainFacts {
            in_base: base.is_some(),
            project_changed: match base {
                Some(b) => main.differs_from(&b.sha256, &b.stat)?,
                None => true,
            },
            source_changed: match base {
                Some(b) => self.shared_stats.sources_changed(self.selection, r, b)?,
                None => self.manifest.is_some(),
            },
            differs: None,
            force: self.force,
        };
        let codex_agent = self.layout.target == Target::Codex && r.id.kind == ResourceKind::Agent;
        let project = if must_read(facts.project_changed, codex_agent) {
            let text = read_utf8(&main.path)?;
            let parsed =
                targets::parse(self.layout.target, r.id.kind, r.id.name.as_str(), &text, self.codex_config)
                    .map_err(SyncError::Unparsable)?;
            facts.differs = Some(Differs {
                description: parsed.description.as_deref() != r.description(),
                body: parsed.body != r.body,
            });
            Some((text, parsed))
        } else {
            None
        };
        let decision = decide_main(&facts);
        let mut actions = Vec::new();
        if decision.carry.description || decision.carry.body {
            let (text, parsed) = project.as_ref().expect("an edit is carried back only from a file read");
            let hint = insert_hint(self.layout.target, r.id.kind, text);
            actions = self.main_actions(
                r,
                decision.carry.description.then_some(parsed.description.as_deref()),
                decision.carry.body.then_some(&parsed.body),
                hint.as_deref(),
            )?;
        }
        Ok(MainOutcome { actions, decision })
    }

    /// The writes that carry a new description and/or body into the source.
    fn main_actions(
        &self,
        r: &Resource,
        new_desc: Option<Option<&str>>,
        new_body: Option<&str>,
        hint: Option<&str>,
    ) -> Result<Vec<Action>, SyncError> {
        let patch_error = |file: &Path, source| SyncError::Patch {
            resource: r.id.clone(),
            file: self.display(file),
            source,
        };
        let mut actions = Vec::new();
        let before = read_source(&r.main_file)?;
        let mut main_text = before.clone();
        let mut what = Vec::new();
        if let Some(desc) = new_desc {
            match r.description_origin {
                DescriptionOrigin::Overrides => return Err(self.overrides_origin(r, desc)),
                DescriptionOrigin::Sidecar => {
                    let sidecar =
                        r.sidecar.as_ref().expect("a description from the sidecar means there is a sidecar");
                    let before = read_source(sidecar)?;
                    let after = patch::patch_sidecar_description(
                        &before,
                        self.layout.target.as_str(),
                        desc,
                        InsertAt::End,
                    )
                    .map_err(|e| patch_error(sidecar, e))?;
                    if after != before {
                        actions.push(Action::WriteText {
                            path: sidecar.clone(),
                            before: Some(before),
                            after,
                            what: vec!["description"],
                        });
                    }
                }
                DescriptionOrigin::Frontmatter | DescriptionOrigin::None => {
                    let at = match hint {
                        Some(k) => InsertAt::After(k),
                        None => InsertAt::Start,
                    };
                    main_text = patch::patch_frontmatter_description(&main_text, desc, at)
                        .map_err(|e| patch_error(&r.main_file, e))?;
                    what.push("description");
                }
            }
        }
        if let Some(body) = new_body {
            let parts = crate::source::frontmatter::split(&main_text)
                .map_err(|_| patch_error(&r.main_file, PatchError::Unclosed))?;
            let body_start = main_text.len() - parts.body.len();
            main_text = format!("{}{}", &main_text[..body_start], body);
            what.push("body");
        }
        if main_text != before {
            actions.insert(
                0,
                Action::WriteText { path: r.main_file.clone(), before: Some(before), after: main_text, what },
            );
        }
        Ok(actions)
    }

    /// The description comes from overrides.yaml, which sync cannot rewrite.
    fn overrides_origin(&self, r: &Resource, wanted: Option<&str>) -> SyncError {
        SyncError::OverridesOrigin {
            resource: r.id.clone(),
            target: self.layout.target,
            overrides: self
                .selection
                .overrides_file
                .as_deref()
                .map(|p| self.display(p))
                .unwrap_or_else(|| "overrides.yaml".into()),
            sidecar: r
                .sidecar
                .as_deref()
                .map(|p| self.display(p))
                .unwrap_or_else(|| format!("{}.yaml", r.main_file.with_extension("").display())),
            wanted: wanted.map(str::to_string),
        }
    }

    /// A source path as messages show it (relative to the source root).
    fn display(&self, p: &Path) -> String {
        fsutil::rel_slash(&self.selection.source_root, p).unwrap_or_else(|| p.display().to_string())
    }
}

/// Where a description the source lacks goes: after the key that precedes it in the project's
/// Markdown frontmatter (so the rebuilt output keeps the project's key order), else first.
fn insert_hint(target: Target, kind: ResourceKind, output_text: &str) -> Option<String> {
    let markdown = !matches!(
        (target, kind),
        (Target::GeminiCli, ResourceKind::Command) | (Target::Codex, ResourceKind::Agent)
    );
    if !markdown {
        return None;
    }
    let (meta, _) = targets::markdown::parse_document("", output_text).ok()?;
    let mut prev = None;
    for (k, _) in &meta {
        let k = k.as_str()?;
        if k == "description" {
            return prev;
        }
        prev = Some(k.to_string());
    }
    None
}
