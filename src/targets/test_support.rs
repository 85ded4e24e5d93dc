//! Building [`Resource`] values for the unit tests of the target modules.

use std::path::PathBuf;

use crate::names::{Name, ResourceId, ResourceKind};
use crate::source::{DescriptionOrigin, Extra, Metadata, Resource};

pub fn resource(kind: ResourceKind, name: &str, frontmatter_yaml: &str, body: &str) -> Resource {
    let metadata: Metadata = if frontmatter_yaml.is_empty() {
        Metadata::new()
    } else {
        serde_yaml::from_str(frontmatter_yaml).unwrap()
    };
    Resource {
        id: ResourceId { kind, plugin: Name::new("p").unwrap(), name: Name::new(name).unwrap() },
        main_file: PathBuf::from(format!("/src/plugins/p/{}/{name}.md", kind.dir())),
        sidecar: None,
        description_origin: if metadata.contains_key("description") {
            DescriptionOrigin::Frontmatter
        } else {
            DescriptionOrigin::None
        },
        metadata,
        body: body.to_string(),
        extras: Vec::new(),
        excluded: Vec::new(),
    }
}

pub fn extra(rel: &str, size: u64) -> Extra {
    Extra { rel: rel.to_string(), path: PathBuf::from(format!("/src/extras/{rel}")), size, modified: None }
}
