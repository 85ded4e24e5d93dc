#!/usr/bin/env python3
"""Generate a cloud_iac_factory-shaped tree for agb's factory benchmark.

Usage: gen_factory.py OUT_DIR [--modules 1000] [--versions 5]

Writes catalog.json and modules/<provider>/<category>/<name>/v<version>/ with
MODULE_METADATA.yaml, main.tf, variables.tf, outputs.tf, versions.tf, README.md and
CHANGELOG.md per version (deterministic content, so runs are comparable).
"""
import argparse
import json
import os

PROVIDERS = ["aws", "gcp", "azure", "oci"]
CATEGORIES = ["networking", "compute", "storage", "database", "security", "observability", "analytics", "messaging"]


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--modules", type=int, default=1000)
    p.add_argument("--versions", type=int, default=5)
    a = p.parse_args()
    catalog = {"version": "1.0.0", "last_updated": "2025-01-28T10:00:00Z", "modules": {}}
    for i in range(a.modules):
        provider = PROVIDERS[i % len(PROVIDERS)]
        category = CATEGORIES[(i // len(PROVIDERS)) % len(CATEGORIES)]
        name = f"module-{i:04d}"
        path = f"{provider}/{category}/{name}"
        versions = [f"1.{v}.0" for v in range(a.versions)]
        desc = f"Generated module {i} for {provider} {category}"
        for v_idx, v in enumerate(versions):
            d = os.path.join(a.out, "modules", path, f"v{v}")
            variables = "".join(
                f'variable "input_{k}" {{\n  description = "Input {k}"\n  type        = string\n  default     = "{k}"\n}}\n\n'
                for k in range(3 + v_idx)
            )
            write(os.path.join(d, "variables.tf"), variables)
            write(os.path.join(d, "main.tf"),
                  f'resource "terraform_data" "this" {{\n  input = {{\n    name    = "{name}"\n    version = "{v}"\n  }}\n}}\n')
            write(os.path.join(d, "outputs.tf"), 'output "id" {\n  value = terraform_data.this.id\n}\n')
            write(os.path.join(d, "versions.tf"), 'terraform {\n  required_version = ">= 1.5.0"\n}\n')
            write(os.path.join(d, "README.md"), f"# {path} v{v}\n\n{desc}.\n")
            write(os.path.join(d, "CHANGELOG.md"), f"# Changelog\n\n## {v}\n\n- Release {v}.\n")
            write(os.path.join(d, "MODULE_METADATA.yaml"),
                  f'schema_version: "2.0"\nmodule:\n  name: {name}\n  version: {v}\n  provider: {provider}\n'
                  f'  category: {category}\n  description: "{desc}"\n')
        catalog["modules"][path] = {"latest": versions[-1], "versions": versions, "description": desc}
    write(os.path.join(a.out, "catalog.json"), json.dumps(catalog, indent=2) + "\n")


if __name__ == "__main__":
    main()
