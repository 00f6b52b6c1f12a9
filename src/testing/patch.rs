//! Builds patches (.msp) for tests, on top of the transform writer: a
//! compound file with the patch class id, its own MsiPatchMetadata and
//! MsiPatchSequence tables (through the `msi` writer), the summary
//! information of a patch (targets, pairs, patch code) and one substorage
//! per transform of each pair.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use msi::{Column, Insert, PackageType, Value};

use super::transform::{embed_transform, write_property_set, TransformBuilder};
use crate::db::summary::{self, PropertyValue};
use crate::db::transform::error_flags::*;

/// Builds a patch.
#[derive(Debug, Clone)]
pub struct PatchBuilder {
    targets: Vec<String>,
    code: String,
    /// (name, the product transform, the patch's own transform).
    pairs: Vec<(String, TransformBuilder, TransformBuilder)>,
    /// MsiPatchMetadata (Property, Value), with no Company.
    metadata: Vec<(String, String)>,
    /// MsiPatchSequence (PatchFamily, Sequence).
    sequence: Vec<(String, String)>,
}

impl PatchBuilder {
    /// A patch for the products with these ProductCodes.
    pub fn new(targets: &[&str]) -> Self {
        Self {
            targets: targets.iter().map(|t| t.to_string()).collect(),
            code: "{AAAAAAAA-0000-0000-0000-000000000001}".into(),
            pairs: Vec::new(),
            metadata: vec![
                ("DisplayName".into(), "Test update".into()),
                ("Classification".into(), "Update".into()),
                ("AllowRemoval".into(), "1".into()),
            ],
            sequence: vec![("TestFamily".into(), "1.0.1.0".into())],
        }
    }

    /// The patch code (summary PID 9).
    pub fn code(mut self, code: &str) -> Self {
        self.code = code.to_owned();
        self
    }

    /// A pair: `NAME`, the changes to the product, and `#NAME`, which adds
    /// the patch's PatchPackage row as WiX's patches do.
    pub fn pair(self, name: &str, product: TransformBuilder) -> Self {
        let own = TransformBuilder::new()
            .add_table("PatchPackage", &[("PatchId", "s38*"), ("Media_", "i2")])
            .insert("PatchPackage", vec![self.code.as_str().into(), 100.into()])
            .ignore_errors(ADD_EXISTING_ROW | ADD_EXISTING_TABLE | UPDATE_MISSING_ROW);
        self.pair_with(name, product, own)
    }

    /// A pair with its own `#NAME` transform.
    pub fn pair_with(
        mut self,
        name: &str,
        product: TransformBuilder,
        own: TransformBuilder,
    ) -> Self {
        self.pairs.push((name.to_owned(), product, own));
        self
    }

    /// A row of MsiPatchMetadata (`DisplayName`, `Classification` ...).
    pub fn metadata(mut self, property: &str, value: &str) -> Self {
        self.metadata.retain(|(p, _)| p != property);
        self.metadata.push((property.to_owned(), value.to_owned()));
        self
    }

    /// The patch's bytes.
    pub fn bytes(&self) -> Vec<u8> {
        let mut pkg =
            msi::Package::create(PackageType::Patch, Cursor::new(Vec::new())).expect("create");
        pkg.create_table(
            "MsiPatchMetadata",
            vec![
                Column::build("Company")
                    .primary_key()
                    .nullable()
                    .id_string(72),
                Column::build("Property").primary_key().id_string(72),
                Column::build("Value").nullable().text_string(0),
            ],
        )
        .unwrap();
        let rows = self
            .metadata
            .iter()
            .map(|(p, v)| vec![Value::Null, Value::Str(p.clone()), Value::Str(v.clone())])
            .collect();
        pkg.insert_rows(Insert::into("MsiPatchMetadata").rows(rows))
            .unwrap();
        pkg.create_table(
            "MsiPatchSequence",
            vec![
                Column::build("PatchFamily").primary_key().id_string(72),
                Column::build("ProductCode")
                    .primary_key()
                    .nullable()
                    .id_string(38),
                Column::build("Sequence").text_string(72),
                Column::build("Attributes").nullable().int32(),
            ],
        )
        .unwrap();
        let rows = self
            .sequence
            .iter()
            .map(|(f, s)| {
                vec![
                    Value::Str(f.clone()),
                    Value::Null,
                    Value::Str(s.clone()),
                    Value::Null,
                ]
            })
            .collect();
        pkg.insert_rows(Insert::into("MsiPatchSequence").rows(rows))
            .unwrap();
        pkg.flush().unwrap();
        let mut bytes = pkg.into_inner().unwrap().into_inner();

        let mut transforms = Vec::new();
        for (name, product, own) in &self.pairs {
            bytes = embed_transform(&bytes, name, &product.bytes());
            bytes = embed_transform(&bytes, &format!("#{name}"), &own.bytes());
            transforms.push(format!(":{name};:#{name}"));
        }
        set_summary(
            bytes,
            &write_property_set(&[
                (summary::PID_CODEPAGE, PropertyValue::Int(1252)),
                (summary::PID_TITLE, PropertyValue::Text("Patch".into())),
                (
                    summary::PID_TEMPLATE,
                    PropertyValue::Text(self.targets.join(";")),
                ),
                (
                    summary::PID_LAST_SAVED_BY,
                    PropertyValue::Text(transforms.join(";")),
                ),
                (
                    summary::PID_REVISION,
                    PropertyValue::Text(self.code.clone()),
                ),
                (summary::PID_PAGE_COUNT, PropertyValue::Int(300)),
            ]),
        )
    }

    /// Writes the patch to `dir/name` and returns the path.
    pub fn write_to(&self, dir: &Path, name: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, self.bytes()).expect("write patch");
        path
    }
}

/// The compound file with its summary information stream replaced.
fn set_summary(bytes: Vec<u8>, set: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut cfb = cfb::CompoundFile::open(Cursor::new(bytes)).expect("the patch opens");
    cfb.create_stream(summary::STREAM)
        .expect("the summary stream")
        .write_all(set)
        .unwrap();
    cfb.flush().unwrap();
    cfb.into_inner().into_inner()
}
