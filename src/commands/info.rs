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
