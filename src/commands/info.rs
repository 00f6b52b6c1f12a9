//! `msica info FILE`: summary information and package facts.

use serde_json::json;

use super::{aligned, Output};
use crate::db::{self, Database, Transform};
use crate::inspect::info::*;
use crate::inspect::{plural, to_json};
use crate::model::load::{self, Input, Loaded};
use crate::model::PackageKind;

pub fn run(input: &Input, json: bool) -> Output {
    match load::open(input)? {
        Loaded::Database(db) if db.class == db::Class::Patch && input.transforms.is_empty() => {
            drop(db);
            let patch = load::guarded(&input.path, || db::Patch::open(&input.path))?;
            Ok(patch_info(input, &patch, json))
        }
        Loaded::Database(db) => Ok(database_info(input, &db, json)),
        Loaded::Transform(t) => Ok(transform_info(input, &t, json)),
    }
}

fn database_info(input: &Input, db: &Database, json: bool) -> String {
    let path = &input.path;
    let pkg = load::package(db);
    let facts = package_facts(&pkg);
    let embedded = db.embedded_transforms();
    let damage = damage_lines(&pkg);
    if json {
        return to_json(&json!({
            "path": path.display().to_string(),
            "kind": pkg.kind,
            "summary": pkg.summary,
            "facts": facts.iter().map(|(k, v)| json!({"name": k, "value": v})).collect::<Vec<_>>(),
            "tables": pkg.tables.len(),
            "custom_actions": pkg.custom_actions.len(),
            "sequences": pkg.sequences.iter().map(|s| s.kind.table_name()).collect::<Vec<_>>(),
            "embedded_transforms": embedded,
            "transforms": pkg.transforms.iter().map(applied_json).collect::<Vec<_>>(),
            "patches": pkg.patches.iter().map(patch_json).collect::<Vec<_>>(),
            "damage": damage,
        }));
    }
    let s = &pkg.summary;
    let mut lines: Vec<(&str, String)> = vec![
        ("File", path.display().to_string()),
        ("Type", pkg.kind.describe().into()),
    ];
    for (key, value) in &facts {
        lines.push((key, value.clone()));
    }
    let optional = [
        ("Title", &s.title),
        ("Subject", &s.subject),
        ("Author", &s.author),
        ("Producer", &s.creating_application),
        ("Package code", &s.package_code),
        ("Platform", &s.platform),
    ];
    for (key, value) in optional {
        if let Some(v) = value.as_deref().filter(|v| !v.trim().is_empty()) {
            lines.push((key, v.to_owned()));
        }
    }
    if !s.languages.is_empty() {
        lines.push(("Languages", s.languages.join(", ")));
    }
    if let Some(schema) = s.schema {
        lines.push((
            "Schema",
            format!(
                "{schema} (Windows Installer {}.{})",
                schema / 100,
                schema % 100
            ),
        ));
    }
    if s.missing {
        lines.push((
            "Summary",
            "missing: the database has no summary information stream".into(),
        ));
    }
    lines.push(("Codepage", codepage_text(s.codepage)));
    lines.push(("Tables", pkg.tables.len().to_string()));
    lines.push(("Custom actions", pkg.custom_actions.len().to_string()));
    let seqs: Vec<_> = pkg
        .sequences
        .iter()
        .map(|s| format!("{} ({})", s.kind.table_name(), s.rows.len()))
        .collect();
    lines.push((
        "Sequences",
        if seqs.is_empty() {
            "none".into()
        } else {
            seqs.join(", ")
        },
    ));
    if !embedded.is_empty() {
        lines.push((
            "Embedded transforms",
            embedded
                .iter()
                .map(|n| format!(":{n}"))
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
    for t in &pkg.transforms {
        lines.push(("Transform applied", applied_summary(t)));
    }
    for p in &pkg.patches {
        lines.push(("Patch", patch_summary(p)));
    }
    for d in damage {
        lines.push(("Damage", d));
    }
    aligned(&lines)
}

fn transform_info(input: &Input, t: &Transform, json: bool) -> String {
    let info = t.info();
    let changed: Vec<&str> = t
        .tables
        .iter()
        .map(String::as_str)
        .filter(|n| !db::SYSTEM_TABLES.contains(n))
        .collect();
    let validation = validation_words(info.validation);
    let errors = error_words(info.errors);
    let languages = |ids: &[u16]| {
        ids.iter()
            .map(|l| l.to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    if json {
        return to_json(&json!({
            "path": input.path.display().to_string(),
            "kind": PackageKind::Transform,
            "target": {
                "product_code": info.target_product_code,
                "version": info.target_version,
                "platform": info.target_platform,
                "languages": info.target_languages,
            },
            "result": {
                "product_code": info.new_product_code,
                "version": info.new_version,
                "platform": info.new_platform,
                "languages": info.new_languages,
            },
            "upgrade_code": info.upgrade_code,
            "validation": validation,
            "ignored_errors": errors,
            "changed_tables": changed,
            "codepage": t.strings.codepage,
        }));
    }
    let mut lines: Vec<(&str, String)> = vec![
        ("File", input.path.display().to_string()),
        ("Type", PackageKind::Transform.describe().into()),
    ];
    let code_version = |code: &Option<String>, version: &Option<String>| {
        [code.as_deref(), version.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let target = code_version(&info.target_product_code, &info.target_version);
    if !target.is_empty() {
        lines.push(("Made against", target));
    }
    let result = code_version(&info.new_product_code, &info.new_version);
    if !result.is_empty() {
        lines.push(("Produces", result));
    }
    if let Some(u) = &info.upgrade_code {
        lines.push(("Upgrade code", u.clone()));
    }
    if !info.target_platform.is_empty() || !info.target_languages.is_empty() {
        lines.push((
            "Target",
            format!(
                "{};{}",
                info.target_platform,
                languages(&info.target_languages)
            ),
        ));
    }
    if !info.new_platform.is_empty() || !info.new_languages.is_empty() {
        lines.push((
            "Result",
            format!("{};{}", info.new_platform, languages(&info.new_languages)),
        ));
    }
    lines.push((
        "Validation",
        if validation.is_empty() {
            "none: applies to any database".into()
        } else {
            validation.join(", ")
        },
    ));
    lines.push((
        "Ignored errors",
        if errors.is_empty() {
            "none".into()
        } else {
            errors.join(", ")
        },
    ));
    lines.push(("Codepage", codepage_text(t.strings.codepage)));
    lines.push((
        "Changes",
        format!(
            "{} ({})",
            plural(changed.len(), "table"),
            if changed.is_empty() {
                "none".into()
            } else {
                changed.join(", ")
            }
        ),
    ));
    aligned(&lines)
}

fn patch_info(input: &Input, patch: &db::Patch, json: bool) -> String {
    let view = PatchView::new(patch);
    let pkg = load::package(&patch.db);
    let damage = damage_lines(&pkg);
    if json {
        return to_json(&json!({
            "path": input.path.display().to_string(),
            "kind": PackageKind::Patch,
            "title": pkg.summary.title,
            "subject": pkg.summary.subject,
            "author": pkg.summary.author,
            "producer": pkg.summary.creating_application,
            "patch": view,
            "damage": damage,
        }));
    }
    let s = &pkg.summary;
    let info = &view.info;
    let mut lines: Vec<(&str, String)> = vec![
        ("File", input.path.display().to_string()),
        ("Type", PackageKind::Patch.describe().into()),
    ];
    for (key, value) in [
        ("Title", &s.title),
        ("Subject", &s.subject),
        ("Author", &s.author),
        ("Producer", &s.creating_application),
        ("Patch code", &info.patch_code),
    ] {
        if let Some(v) = value.as_deref().filter(|v| !v.trim().is_empty()) {
            lines.push((key, v.to_owned()));
        }
    }
    if !info.obsoletes.is_empty() {
        lines.push(("Replaces", info.obsoletes.join(", ")));
    }
    lines.push((
        "Targets",
        if info.targets.is_empty() {
            "none listed".into()
        } else {
            info.targets.join(", ")
        },
    ));
    if let Some(v) = info.minimum_installer {
        lines.push((
            "Needs",
            format!("Windows Installer {}.{} ({v})", v / 100, v % 100),
        ));
    }
    for (company, property, value) in &view.metadata {
        let key = if company.is_empty() {
            property.clone()
        } else {
            format!("{company}.{property}")
        };
        lines.push(("Metadata", format!("{key} = {value}")));
    }
    for (family, product, sequence) in &view.sequence {
        let product = if product.is_empty() {
            String::new()
        } else {
            format!(" for {product}")
        };
        lines.push(("Sequence", format!("{family} {sequence}{product}")));
    }
    for pair in &view.pairs {
        for t in &pair.transforms {
            let mut parts = Vec::new();
            if let Some(problem) = &t.problem {
                parts.push(format!("unreadable: {problem}"));
            } else {
                if let Some(a) = &t.made_against {
                    parts.push(format!("made against {a}"));
                }
                if let Some(p) = t
                    .produces
                    .as_ref()
                    .filter(|p| Some(*p) != t.made_against.as_ref())
                {
                    parts.push(format!("produces {p}"));
                }
                parts.push(if t.validation.is_empty() {
                    "no validation".into()
                } else {
                    format!("validates {}", t.validation.join(", "))
                });
                parts.push(format!(
                    "changes {}",
                    if t.changed_tables.is_empty() {
                        "nothing".into()
                    } else {
                        t.changed_tables.join(", ")
                    }
                ));
            }
            lines.push(("Transform", format!(":{}: {}", t.name, parts.join("; "))));
        }
    }
    lines.push(("Codepage", codepage_text(s.codepage)));
    for d in damage {
        lines.push(("Damage", d));
    }
    aligned(&lines)
}
