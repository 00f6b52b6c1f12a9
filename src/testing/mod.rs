//! Builds small installer databases through the real `msi` writer, for tests.
//!
//! Every fixture goes through the writer and then through msica's own loader,
//! so the loader is part of every rule test. Only tables that get rows are
//! created, with the column definitions Windows Installer uses.

pub mod fuzzing;
pub mod pe;

use std::io::Cursor;
use std::path::{Path, PathBuf};

use msi::{Column, Insert, PackageType, Value};

use crate::model::Package;

#[derive(Debug, Clone, Default)]
pub struct MsiBuilder {
    module: bool,
    custom_actions: Vec<Vec<Value>>,
    extended_type: bool,
    sequences: Vec<(String, Vec<Value>)>,
    properties: Vec<Vec<Value>>,
    binaries: Vec<String>,
    /// Data of Binary rows, written as their `Binary.NAME` streams.
    binary_data: Vec<(String, Vec<u8>)>,
    files: Vec<Vec<Value>>,
    directories: Vec<Vec<Value>>,
    dialogs: Vec<String>,
    control_events: Vec<Vec<Value>>,
    app_searches: Vec<Vec<Value>>,
    launch_conditions: Vec<Vec<Value>>,
    control_conditions: Vec<Vec<Value>>,
    feature_conditions: Vec<Vec<Value>>,
    controls: Vec<Vec<Value>>,
    upgrades: Vec<Vec<Value>>,
    components: Vec<Vec<Value>>,
    /// The string pool's codepage, when not the writer's default.
    codepage: Option<u32>,
    /// The Author of the summary information.
    author: Option<String>,
    /// The Template's platform, when not `Intel`.
    platform: Option<String>,
    /// Media rows: (disk id, last sequence, cabinet).
    media: Vec<Vec<Value>>,
    /// Streams outside any table (embedded cabinets): (name, data).
    streams: Vec<(String, Vec<u8>)>,
}

fn opt(s: Option<&str>) -> Value {
    s.map_or(Value::Null, |s| Value::Str(s.to_owned()))
}

impl MsiBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// A merge module: adds ModuleSignature; sequences go in `Module*` tables.
    pub fn merge_module() -> Self {
        Self {
            module: true,
            ..Self::default()
        }
    }

    /// The standard execute sequence around the script window, with the
    /// conventional numbers: CostInitialize 800, FileCost 900, CostFinalize
    /// 1000, InstallValidate 1400, InstallInitialize 1500, RemoveFiles 3500,
    /// InstallFiles 4000, InstallFinalize 6600.
    pub fn standard_execute(self) -> Self {
        [
            ("CostInitialize", 800),
            ("FileCost", 900),
            ("CostFinalize", 1000),
            ("InstallValidate", 1400),
            ("InstallInitialize", 1500),
            ("RemoveFiles", 3500),
            ("InstallFiles", 4000),
            ("InstallFinalize", 6600),
        ]
        .into_iter()
        .fold(self, |b, (action, seq)| {
            b.seq("InstallExecuteSequence", action, None, seq)
        })
    }

    /// The standard UI sequence: CostInitialize 800, FileCost 900,
    /// CostFinalize 1000, ExecuteAction 1300.
    pub fn standard_ui(self) -> Self {
        [
            ("CostInitialize", 800),
            ("FileCost", 900),
            ("CostFinalize", 1000),
            ("ExecuteAction", 1300),
        ]
        .into_iter()
        .fold(self, |b, (action, seq)| {
            b.seq("InstallUISequence", action, None, seq)
        })
    }

    /// A CustomAction row. A `target` of `None` stores null.
    pub fn action(
        mut self,
        name: &str,
        ty: i32,
        source: Option<&str>,
        target: Option<&str>,
    ) -> Self {
        self.custom_actions.push(vec![
            Value::Str(name.into()),
            Value::Int(ty),
            opt(source),
            opt(target),
            Value::Null,
        ]);
        self
    }

    /// A CustomAction row with an ExtendedType value.
    pub fn action_extended(
        mut self,
        name: &str,
        ty: i32,
        source: Option<&str>,
        target: Option<&str>,
        ext: i32,
    ) -> Self {
        self.extended_type = true;
        self.custom_actions.push(vec![
            Value::Str(name.into()),
            Value::Int(ty),
            opt(source),
            opt(target),
            Value::Int(ext),
        ]);
        self
    }

    /// A row of a numbered sequence table.
    pub fn seq(
        mut self,
        table: &str,
        action: &str,
        condition: Option<&str>,
        sequence: i32,
    ) -> Self {
        self.sequences.push((
            table.into(),
            vec![
                Value::Str(action.into()),
                opt(condition),
                Value::Int(sequence),
            ],
        ));
        self
    }

    /// A row of a `Module*Sequence` table.
    pub fn module_seq(
        mut self,
        table: &str,
        action: &str,
        sequence: Option<i32>,
        base: Option<&str>,
        after: Option<bool>,
        condition: Option<&str>,
    ) -> Self {
        let row = vec![
            Value::Str(action.into()),
            sequence.map_or(Value::Null, Value::Int),
            opt(base),
            after.map_or(Value::Null, |a| Value::Int(a as i32)),
            opt(condition),
        ];
        self.sequences.push((table.into(), row));
        self
    }

    pub fn property(mut self, name: &str, value: &str) -> Self {
        self.properties
            .push(vec![Value::Str(name.into()), Value::Str(value.into())]);
        self
    }

    pub fn binary(mut self, name: &str) -> Self {
        self.binaries.push(name.into());
        self
    }

    /// The code a Binary row given without data carries, so that every
    /// fixture's actions call real code: a DLL exporting each entry point
    /// its DLL actions name, a program for its EXE actions, or a script
    /// defining the functions its script actions call.
    fn code_for(&self, binary: &str) -> Option<Vec<u8>> {
        let users: Vec<(i32, &str)> = self
            .custom_actions
            .iter()
            .filter(|row| matches!(&row[2], Value::Str(s) if s == binary))
            .filter_map(|row| match (&row[1], &row[3]) {
                // Code kinds 1, 2, 5 and 6 with the Binary table as source.
                (Value::Int(ty), target) if ty & 0x30 == 0 => Some((
                    ty & 0x7,
                    match target {
                        Value::Str(t) => t.as_str(),
                        _ => "",
                    },
                )),
                _ => None,
            })
            .collect();
        let targets = |kind: i32| {
            users
                .iter()
                .filter(move |(k, t)| *k == kind && !t.is_empty())
                .map(|(_, t)| *t)
        };
        let kinds: Vec<i32> = users.iter().map(|(k, _)| *k).collect();
        if kinds.contains(&1) {
            let dll = targets(1).fold(
                pe::PeBuilder::dll(pe::Arch::X86).import("msi.dll"),
                |b, t| b.export(t),
            );
            Some(dll.build())
        } else if kinds.contains(&2) {
            Some(pe::PeBuilder::exe(pe::Arch::X86).build())
        } else if kinds.contains(&6) {
            Some(
                targets(6)
                    .map(|t| format!("Function {t}()\r\nEnd Function\r\n"))
                    .collect::<String>()
                    .into_bytes(),
            )
        } else if kinds.contains(&5) {
            Some(
                targets(5)
                    .map(|t| format!("function {t}() {{ return 1; }}\n"))
                    .collect::<String>()
                    .into_bytes(),
            )
        } else {
            None
        }
    }

    /// A Binary row with its data in the `Binary.NAME` stream.
    pub fn binary_data(mut self, name: &str, data: &[u8]) -> Self {
        self.binaries.push(name.into());
        self.binary_data.push((name.into(), data.to_vec()));
        self
    }

    pub fn file(mut self, key: &str, component: &str) -> Self {
        self.files.push(vec![
            Value::Str(key.into()),
            Value::Str(component.into()),
            Value::Str(format!("{key}.bin")),
            Value::Int(1),
            Value::Int(1),
        ]);
        self
    }

    pub fn directory(mut self, key: &str, parent: Option<&str>) -> Self {
        self.directories.push(vec![
            Value::Str(key.into()),
            opt(parent),
            Value::Str(".".into()),
        ]);
        self
    }

    pub fn dialog(mut self, name: &str) -> Self {
        self.dialogs.push(name.into());
        self
    }

    pub fn control_event(
        mut self,
        dialog: &str,
        control: &str,
        event: &str,
        argument: &str,
        condition: &str,
    ) -> Self {
        self.control_events.push(vec![
            Value::Str(dialog.into()),
            Value::Str(control.into()),
            Value::Str(event.into()),
            Value::Str(argument.into()),
            Value::Str(condition.into()),
            Value::Int(1),
        ]);
        self
    }

    /// A LaunchCondition row.
    pub fn launch_condition(mut self, condition: &str, description: &str) -> Self {
        self.launch_conditions.push(vec![
            Value::Str(condition.into()),
            Value::Str(description.into()),
        ]);
        self
    }

    /// A ControlCondition row (`action` is Hide, Show, Disable, Enable or Default).
    pub fn control_condition(
        mut self,
        dialog: &str,
        control: &str,
        action: &str,
        condition: &str,
    ) -> Self {
        self.control_conditions.push(vec![
            Value::Str(dialog.into()),
            Value::Str(control.into()),
            Value::Str(action.into()),
            Value::Str(condition.into()),
        ]);
        self
    }

    /// A row of the Condition table: `feature` gets install level `level` when `condition` holds.
    pub fn feature_condition(mut self, feature: &str, level: i32, condition: &str) -> Self {
        self.feature_conditions.push(vec![
            Value::Str(feature.into()),
            Value::Int(level),
            Value::Str(condition.into()),
        ]);
        self
    }

    /// A Control row of type `kind` (Edit, CheckBox, Text ...) showing or
    /// writing `property`.
    pub fn control(mut self, dialog: &str, control: &str, kind: &str, property: &str) -> Self {
        self.controls.push(vec![
            Value::Str(dialog.into()),
            Value::Str(control.into()),
            Value::Str(kind.into()),
            Value::Int(0),
            Value::Int(0),
            Value::Int(100),
            Value::Int(20),
            Value::Int(3),
            Value::Str(property.into()),
        ]);
        self
    }

    /// An AppSearch row: `property` gets what `signature` finds.
    pub fn app_search(mut self, property: &str, signature: &str) -> Self {
        self.app_searches.push(vec![
            Value::Str(property.into()),
            Value::Str(signature.into()),
        ]);
        self
    }

    /// The Author of the summary information (authoring tools sign with it).
    pub fn summary_author(mut self, author: &str) -> Self {
        self.author = Some(author.into());
        self
    }

    /// The Template summary property (`x64;1033`): its platform is used.
    pub fn template(mut self, template: &str) -> Self {
        self.platform = Some(template.split(';').next().unwrap_or_default().to_owned());
        self
    }

    /// An installed file whose data is in the package's embedded cabinet
    /// `#code.cab` (File sequence 1, Media disk 1), for file-based actions.
    pub fn installed_file(mut self, key: &str, name: &str, data: &[u8]) -> Self {
        self.files.push(vec![
            Value::Str(key.into()),
            Value::Str("MainComponent".into()),
            Value::Str(name.into()),
            Value::Int(data.len() as i32),
            Value::Int(1),
        ]);
        self.media.push(vec![
            Value::Int(1),
            Value::Int(1),
            Value::Str("#code.cab".into()),
        ]);
        self.streams
            .push(("code.cab".into(), pe::cabinet(&[(key, data)])));
        self
    }

    /// An Upgrade row finding versions 1.0 up to this one, setting
    /// `action_property`; `attributes` 2 is OnlyDetect.
    pub fn upgrade(mut self, action_property: &str, attributes: i32) -> Self {
        self.upgrades.push(vec![
            Value::Str("{11111111-2222-3333-4444-555555555555}".into()),
            Value::Str("1.0.0".into()),
            Value::Null,
            Value::Null,
            Value::Int(attributes),
            Value::Null,
            Value::Str(action_property.into()),
        ]);
        self
    }

    /// A Component row with these Attributes (16: permanent).
    pub fn component(mut self, key: &str, attributes: i32) -> Self {
        self.components.push(vec![
            Value::Str(key.into()),
            Value::Null,
            Value::Str("INSTALLDIR".into()),
            Value::Int(attributes),
            Value::Null,
            Value::Null,
        ]);
        self
    }

    /// The codepage of the string pool (0 for neutral).
    pub fn codepage(mut self, codepage: u32) -> Self {
        self.codepage = Some(codepage);
        self
    }

    /// The database bytes, written by the `msi` crate.
    pub fn bytes(&self) -> Vec<u8> {
        let bytes = self
            .try_bytes()
            .expect("the msi writer accepts the fixture");
        match self.codepage {
            // The writer knows no neutral codepage: set it in the pool header.
            Some(codepage) => set_pool_codepage(bytes, codepage),
            None => bytes,
        }
    }

    /// Builds the database, applies the transforms in order and loads the
    /// model (named `t1.mst`, `t2.mst` ...).
    pub fn load_with(&self, transforms: &[TransformBuilder]) -> Package {
        self.load_with_patches(transforms, &[])
    }

    /// Builds the database, applies the transforms and then the patches in
    /// order (named `fix1.msp`, `fix2.msp` ...) and loads the model.
    pub fn load_with_patches(
        &self,
        transforms: &[TransformBuilder],
        patches: &[PatchBuilder],
    ) -> Package {
        let path = Path::new("fixture.msi");
        let mut db = match crate::db::open_bytes(path, self.bytes()).expect("the fixture opens") {
            crate::db::Opened::Database(db) => db,
            crate::db::Opened::Transform(_) => unreachable!("an installer database"),
        };
        for (i, t) in transforms.iter().enumerate() {
            let name = format!("t{}.mst", i + 1);
            let transform = crate::db::Transform::open_bytes(Path::new(&name), t.bytes())
                .expect("the transform opens");
            db.apply(transform);
        }
        for (i, p) in patches.iter().enumerate() {
            let name = format!("fix{}.msp", i + 1);
            let patch =
                crate::db::Patch::open_bytes(Path::new(&name), p.bytes()).expect("the patch opens");
            db.apply_patch(&patch);
        }
        crate::model::load::package(&db)
    }

    fn try_bytes(&self) -> std::io::Result<Vec<u8>> {
        let mut pkg = msi::Package::create(PackageType::Installer, Cursor::new(Vec::new()))?;
        pkg.summary_info_mut()
            .set_creating_application("msica tests");
        if let Some(author) = &self.author {
            pkg.summary_info_mut().set_author(author.clone());
        }
        pkg.summary_info_mut()
            .set_arch(self.platform.as_deref().unwrap_or("Intel"));
        pkg.summary_info_mut()
            .set_languages(&[msi::LanguageId::from_id(1033)]);
        if let Some(codepage) = self.codepage.and_then(|c| msi::CodePage::from_id(c as i32)) {
            pkg.set_database_codepage(codepage);
        }
        if self.module {
            pkg.create_table(
                "ModuleSignature",
                vec![
                    Column::build("ModuleID").primary_key().id_string(72),
                    Column::build("Language").primary_key().int16(),
                    Column::build("Version").text_string(32),
                ],
            )?;
            pkg.insert_rows(Insert::into("ModuleSignature").row(vec![
                Value::Str("Test.11111111_2222_3333_4444_555555555555".into()),
                Value::Int(0),
                Value::Str("1.0".into()),
            ]))?;
        }
        if !self.custom_actions.is_empty() {
            let mut columns = vec![
                Column::build("Action").primary_key().id_string(72),
                Column::build("Type").int16(),
                Column::build("Source").nullable().string(72),
                Column::build("Target").nullable().formatted_string(255),
            ];
            if self.extended_type {
                columns.push(Column::build("ExtendedType").nullable().int32());
            }
            pkg.create_table("CustomAction", columns)?;
            let width = if self.extended_type { 5 } else { 4 };
            let rows = self
                .custom_actions
                .iter()
                .map(|r| r[..width].to_vec())
                .collect();
            pkg.insert_rows(Insert::into("CustomAction").rows(rows))?;
        }
        let mut tables: Vec<&str> = self.sequences.iter().map(|(t, _)| t.as_str()).collect();
        tables.sort();
        tables.dedup();
        for table in tables {
            let columns = if table.starts_with("Module") {
                vec![
                    Column::build("Action").primary_key().id_string(64),
                    Column::build("Sequence").nullable().int16(),
                    Column::build("BaseAction").nullable().id_string(64),
                    Column::build("After").nullable().int16(),
                    Column::build("Condition").nullable().string(255),
                ]
            } else {
                vec![
                    Column::build("Action").primary_key().id_string(72),
                    Column::build("Condition").nullable().string(255),
                    Column::build("Sequence").nullable().int16(),
                ]
            };
            pkg.create_table(table, columns)?;
            let rows = self
                .sequences
                .iter()
                .filter(|(t, _)| t == table)
                .map(|(_, r)| r.clone())
                .collect();
            pkg.insert_rows(Insert::into(table).rows(rows))?;
        }
        if !self.properties.is_empty() {
            pkg.create_table(
                "Property",
                vec![
                    Column::build("Property").primary_key().id_string(72),
                    Column::build("Value").text_string(0),
                ],
            )?;
            pkg.insert_rows(Insert::into("Property").rows(self.properties.clone()))?;
        }
        if !self.binaries.is_empty() {
            pkg.create_table(
                "Binary",
                vec![
                    Column::build("Name").primary_key().id_string(72),
                    Column::build("Data").binary(),
                ],
            )?;
            let rows = self
                .binaries
                .iter()
                .map(|b| vec![Value::Str(b.clone()), Value::Binary])
                .collect();
            pkg.insert_rows(Insert::into("Binary").rows(rows))?;
            use std::io::Write as _;
            for (name, data) in &self.binary_data {
                pkg.write_stream(&format!("Binary.{name}"))?
                    .write_all(data)?;
            }
            for name in &self.binaries {
                if self.binary_data.iter().any(|(n, _)| n == name) {
                    continue;
                }
                if let Some(code) = self.code_for(name) {
                    pkg.write_stream(&format!("Binary.{name}"))?
                        .write_all(&code)?;
                }
            }
        }
        if !self.files.is_empty() {
            pkg.create_table(
                "File",
                vec![
                    Column::build("File").primary_key().id_string(72),
                    Column::build("Component_").id_string(72),
                    Column::build("FileName").string(255),
                    Column::build("FileSize").int32(),
                    Column::build("Sequence").int16(),
                ],
            )?;
            pkg.insert_rows(Insert::into("File").rows(self.files.clone()))?;
        }
        if !self.media.is_empty() {
            pkg.create_table(
                "Media",
                vec![
                    Column::build("DiskId").primary_key().int16(),
                    Column::build("LastSequence").int16(),
                    Column::build("Cabinet").nullable().string(255),
                ],
            )?;
            pkg.insert_rows(Insert::into("Media").rows(self.media.clone()))?;
        }
        for (name, data) in &self.streams {
            use std::io::Write as _;
            pkg.write_stream(name)?.write_all(data)?;
        }
        if !self.directories.is_empty() {
            pkg.create_table(
                "Directory",
                vec![
                    Column::build("Directory").primary_key().id_string(72),
                    Column::build("Directory_Parent").nullable().id_string(72),
                    Column::build("DefaultDir").string(255),
                ],
            )?;
            pkg.insert_rows(Insert::into("Directory").rows(self.directories.clone()))?;
        }
        if !self.dialogs.is_empty() {
            pkg.create_table(
                "Dialog",
                vec![
                    Column::build("Dialog").primary_key().id_string(72),
                    Column::build("Title").nullable().string(128),
                ],
            )?;
            let rows = self
                .dialogs
                .iter()
                .map(|d| vec![Value::Str(d.clone()), Value::Null])
                .collect();
            pkg.insert_rows(Insert::into("Dialog").rows(rows))?;
        }
        if !self.control_events.is_empty() {
            pkg.create_table(
                "ControlEvent",
                vec![
                    Column::build("Dialog_").primary_key().id_string(72),
                    Column::build("Control_").primary_key().id_string(50),
                    Column::build("Event").primary_key().string(50),
                    Column::build("Argument").primary_key().string(255),
                    Column::build("Condition")
                        .primary_key()
                        .nullable()
                        .string(255),
                    Column::build("Ordering").nullable().int16(),
                ],
            )?;
            pkg.insert_rows(Insert::into("ControlEvent").rows(self.control_events.clone()))?;
        }
        if !self.app_searches.is_empty() {
            pkg.create_table(
                "AppSearch",
                vec![
                    Column::build("Property").primary_key().id_string(72),
                    Column::build("Signature_").primary_key().id_string(72),
                ],
            )?;
            pkg.insert_rows(Insert::into("AppSearch").rows(self.app_searches.clone()))?;
        }
        if !self.launch_conditions.is_empty() {
            pkg.create_table(
                "LaunchCondition",
                vec![
                    Column::build("Condition").primary_key().string(255),
                    Column::build("Description")
                        .localizable()
                        .formatted_string(255),
                ],
            )?;
            pkg.insert_rows(Insert::into("LaunchCondition").rows(self.launch_conditions.clone()))?;
        }
        if !self.control_conditions.is_empty() {
            pkg.create_table(
                "ControlCondition",
                vec![
                    Column::build("Dialog_").primary_key().id_string(72),
                    Column::build("Control_").primary_key().id_string(50),
                    Column::build("Action").primary_key().string(50),
                    Column::build("Condition").primary_key().string(255),
                ],
            )?;
            pkg.insert_rows(
                Insert::into("ControlCondition").rows(self.control_conditions.clone()),
            )?;
        }
        if !self.feature_conditions.is_empty() {
            pkg.create_table(
                "Condition",
                vec![
                    Column::build("Feature_").primary_key().id_string(38),
                    Column::build("Level").primary_key().int16(),
                    Column::build("Condition").nullable().string(255),
                ],
            )?;
            pkg.insert_rows(Insert::into("Condition").rows(self.feature_conditions.clone()))?;
        }
        if !self.controls.is_empty() {
            pkg.create_table(
                "Control",
                vec![
                    Column::build("Dialog_").primary_key().id_string(72),
                    Column::build("Control").primary_key().id_string(50),
                    Column::build("Type").id_string(20),
                    Column::build("X").int16(),
                    Column::build("Y").int16(),
                    Column::build("Width").int16(),
                    Column::build("Height").int16(),
                    Column::build("Attributes").nullable().int32(),
                    Column::build("Property").nullable().id_string(72),
                ],
            )?;
            pkg.insert_rows(Insert::into("Control").rows(self.controls.clone()))?;
        }
        if !self.upgrades.is_empty() {
            pkg.create_table(
                "Upgrade",
                vec![
                    Column::build("UpgradeCode").primary_key().string(38),
                    Column::build("VersionMin")
                        .primary_key()
                        .nullable()
                        .string(20),
                    Column::build("VersionMax")
                        .primary_key()
                        .nullable()
                        .string(20),
                    Column::build("Language")
                        .primary_key()
                        .nullable()
                        .string(255),
                    Column::build("Attributes").primary_key().int32(),
                    Column::build("Remove").nullable().string(255),
                    Column::build("ActionProperty").id_string(72),
                ],
            )?;
            pkg.insert_rows(Insert::into("Upgrade").rows(self.upgrades.clone()))?;
        }
        if !self.components.is_empty() {
            pkg.create_table(
                "Component",
                vec![
                    Column::build("Component").primary_key().id_string(72),
                    Column::build("ComponentId").nullable().string(38),
                    Column::build("Directory_").id_string(72),
                    Column::build("Attributes").int16(),
                    Column::build("Condition").nullable().string(255),
                    Column::build("KeyPath").nullable().id_string(72),
                ],
            )?;
            pkg.insert_rows(Insert::into("Component").rows(self.components.clone()))?;
        }
        Ok(pkg.into_inner()?.into_inner())
    }

    /// Writes the database to `dir/name` and returns the path.
    pub fn write_to(&self, dir: &Path, name: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, self.bytes()).expect("write fixture");
        path
    }

    /// Builds the database and loads it with msica's loader.
    pub fn load(&self) -> Package {
        crate::model::load::load_from_bytes(self.bytes()).expect("the loader reads the fixture")
    }
}

// ------------------------------------------------------------------------ //
// A large synthetic database, for benchmarks

/// Custom actions in the synthetic database.
pub const SYNTHETIC_ACTIONS: usize = 10_000;

/// A transform for the synthetic database that touches 100 rows: 60
/// deferred actions made to ignore their return code (Type 3073 → 3137) and
/// 40 new properties.
pub fn synthetic_transform() -> TransformBuilder {
    let mut t = TransformBuilder::new();
    for group in 0..60 {
        t = t.update(
            "CustomAction",
            vec![format!("RegisterPort{group}").as_str().into()],
            vec![(1, 3137.into())],
        );
    }
    for i in 0..40 {
        t = t.insert(
            "Property",
            vec![format!("SITE_{i}").as_str().into(), "value".into()],
        );
    }
    t
}

/// Writes a large synthetic database to `file`, in a common hand-authored
/// pattern: groups of a CustomActionData setter `SetRegisterPortN` (type
/// 51), a rollback `RollbackRegisterPortN` (3329) and a deferred
/// `RegisterPortN` (3073), every deferred action calling the same DLL entry
/// point `RegisterPort` with its own data, all in InstallExecuteSequence
/// inside the script window, setter, rollback and action in that order:
/// [`SYNTHETIC_ACTIONS`] custom actions in all. When `stream_mb` is not 0, a
/// dummy stream of that many MB stands in for an embedded cabinet (written
/// in 1 MB chunks).
pub fn write_synthetic<F: std::io::Read + std::io::Write + std::io::Seek>(
    file: F,
    stream_mb: usize,
) -> std::io::Result<()> {
    use std::io::{BufWriter, Write};
    let mut pkg = msi::Package::create(PackageType::Installer, file)?;
    pkg.summary_info_mut()
        .set_creating_application("msica synthetic benchmark package");
    pkg.summary_info_mut().set_title("Synthetic");

    pkg.create_table(
        "Property",
        vec![
            Column::build("Property").primary_key().id_string(72),
            Column::build("Value").text_string(0),
        ],
    )?;
    pkg.insert_rows(Insert::into("Property").rows(vec![
        vec![Value::from("ProductName"), Value::from("Synthetic")],
        vec![Value::from("ProductVersion"), Value::from("1.0.0")],
        vec![
            Value::from("ProductCode"),
            Value::from("{11111111-2222-3333-4444-555555555555}"),
        ],
        vec![Value::from("Manufacturer"), Value::from("msica")],
    ]))?;
    pkg.create_table(
        "Binary",
        vec![
            Column::build("Name").primary_key().id_string(72),
            Column::build("Data").binary(),
        ],
    )?;
    pkg.insert_rows(Insert::into("Binary").row(vec![Value::from("NetLib"), Value::Binary]))?;
    let netlib = pe::PeBuilder::dll(pe::Arch::X86)
        .export("CheckPorts")
        .export("RegisterPort")
        .export("RollbackRegisterPort")
        .build();
    pkg.write_stream("Binary.NetLib")?.write_all(&netlib)?;

    pkg.create_table(
        "CustomAction",
        vec![
            Column::build("Action").primary_key().id_string(72),
            Column::build("Type").int16(),
            Column::build("Source").nullable().string(72),
            Column::build("Target").nullable().formatted_string(255),
        ],
    )?;
    let groups = SYNTHETIC_ACTIONS / 3;
    let mut actions = Vec::with_capacity(SYNTHETIC_ACTIONS);
    for n in 0..groups {
        actions.push(vec![
            Value::from(format!("SetRegisterPort{n}")),
            Value::Int(51),
            Value::from(format!("RegisterPort{n}")),
            Value::from(format!("PORT={};INSTALLDIR=[INSTALLDIR]", 8000 + n)),
        ]);
        actions.push(vec![
            Value::from(format!("RollbackRegisterPort{n}")),
            Value::Int(3329),
            Value::from("NetLib"),
            Value::from("RollbackRegisterPort"),
        ]);
        actions.push(vec![
            Value::from(format!("RegisterPort{n}")),
            Value::Int(3073),
            Value::from("NetLib"),
            Value::from("RegisterPort"),
        ]);
    }
    // One immediate action, so that the total is round.
    actions.push(vec![
        Value::from("CheckPorts"),
        Value::Int(1),
        Value::from("NetLib"),
        Value::from("CheckPorts"),
    ]);
    let mut sequence: Vec<Vec<Value>> = [
        ("CostInitialize", 800),
        ("FileCost", 900),
        ("CostFinalize", 1000),
        ("CheckPorts", 1100),
        ("InstallValidate", 1400),
        ("InstallInitialize", 1500),
        ("InstallFinalize", 32000),
    ]
    .iter()
    .map(|(a, s)| vec![Value::from(*a), Value::Null, Value::Int(*s)])
    .collect();
    for (i, row) in actions[..groups * 3].iter().enumerate() {
        let condition = if i % 3 == 0 {
            Value::Null
        } else {
            Value::from("NOT Installed")
        };
        sequence.push(vec![row[0].clone(), condition, Value::Int(1501 + i as i32)]);
    }
    pkg.insert_rows(Insert::into("CustomAction").rows(actions))?;
    pkg.create_table(
        "InstallExecuteSequence",
        vec![
            Column::build("Action").primary_key().id_string(72),
            Column::build("Condition").nullable().string(255),
            Column::build("Sequence").nullable().int16(),
        ],
    )?;
    pkg.insert_rows(Insert::into("InstallExecuteSequence").rows(sequence))?;

    if stream_mb > 0 {
        // The cabinet stand-in, written in 1 MB chunks.
        let mut stream = BufWriter::with_capacity(1 << 20, pkg.write_stream("Data1.cab")?);
        let mut chunk = vec![0u8; 1 << 20];
        for mb in 0..stream_mb {
            chunk[..8].copy_from_slice(&(mb as u64).to_le_bytes());
            stream.write_all(&chunk)?;
        }
        stream.flush()?;
    }
    pkg.flush()?;
    Ok(())
}

/// The database with its string pool's codepage set to `codepage`.
fn set_pool_codepage(bytes: Vec<u8>, codepage: u32) -> Vec<u8> {
    use std::io::{Read, Seek, Write};
    let mut cfb = cfb::CompoundFile::open(Cursor::new(bytes)).expect("the fixture opens");
    let name = crate::db::container::encode_stream_name("_StringPool", true);
    let mut stream = cfb.open_stream(&name).expect("a string pool");
    let mut header = [0u8; 4];
    stream.read_exact(&mut header).unwrap();
    let long_refs = u32::from_le_bytes(header) & 0x8000_0000;
    stream.rewind().unwrap();
    stream
        .write_all(&(codepage | long_refs).to_le_bytes())
        .unwrap();
    drop(stream);
    cfb.flush().unwrap();
    cfb.into_inner().into_inner()
}

mod patch;
mod transform;
pub use patch::PatchBuilder;
pub use transform::{embed_transform, write_property_set, Cell, TransformBuilder};
