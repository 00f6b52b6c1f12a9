//! Decoding of the `CustomAction.Type` bitmask (and `ExtendedType`).
//!
//! The `Type` column mixes several fields: a base type in the low six bits
//! (code kind × source kind), return processing, scheduling bits whose
//! meaning depends on the in-script bit, and a few independent flags. Every
//! 16-bit value decodes; what is undefined or contradictory is kept and
//! listed by [`ActionType::problems`] rather than hidden.

use bitflags::bitflags;
use serde::Serialize;

/// The valid base types (`Type & 0x3F`), per the custom action type pages.
pub const VALID_BASE_TYPES: [u16; 20] = [
    1, 2, 5, 6, 7, 17, 18, 19, 21, 22, 23, 34, 35, 37, 38, 39, 50, 51, 53, 54,
];

/// What kind of code or operation the action performs (`Type & 0x07`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CodeKind {
    Dll,
    Exe,
    /// Text data: error message (19), set directory (35), set property (51).
    Text,
    JScript,
    VBScript,
    /// A nested (concurrent) installation.
    Install,
    /// Code kinds 0 and 4 have no meaning.
    Undefined,
}

/// Where the action's code or data comes from (`Type & 0x30`), refined by the
/// whole base type because 19, 35, 37, 38 and 39 do not use the bits literally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// `Source` is a key of the Binary table.
    Binary,
    /// `Source` is a key of the File table.
    File,
    /// `Source` is a key of the Directory table.
    Directory,
    /// `Source` names a property.
    Property,
    /// The script or value is in `Target` itself (37, 38, 19).
    Inline,
    /// `Source` names a substorage of this package (7).
    Substorage,
    /// `Source` is a path of a package relative to the source root (23).
    SourceTree,
    /// `Source` is a ProductCode (39).
    Product,
}

/// The base type in words: what runs, from where.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BaseKind {
    Dll,
    Exe,
    JScript,
    VBScript,
    NestedInstall,
    ErrorMessage,
    SetDirectory,
    SetProperty,
    /// A base type no documentation defines.
    Invalid,
}

/// When the action runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Execution {
    Immediate(Scheduling),
    Deferred,
    Rollback,
    Commit,
    /// `0x400 | 0x300`: no defined meaning.
    UndefinedInScript,
}

/// Scheduling option of an immediate action (`0x300` with `0x400` clear).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scheduling {
    Always,
    FirstSequence,
    OncePerProcess,
    ClientRepeat,
}

/// Return processing (`Type & 0xC0`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReturnProcessing {
    Check,
    Ignore,
    AsyncWait,
    AsyncNoWait,
}

bitflags! {
    /// The option bits that are independent of each other.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct TypeFlags: u16 {
        const NO_IMPERSONATE = 0x0800;
        const X64_SCRIPT = 0x1000;
        const HIDE_TARGET = 0x2000;
        const TS_AWARE = 0x4000;
    }
}

/// Something undefined or contradictory in a Type value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TypeProblem {
    /// `Type` is 0, negative or does not fit in 16 bits.
    OutOfRange,
    /// The base type is not one of the twenty valid ones.
    InvalidBaseType,
    /// Bit `0x08` is set; it has no meaning.
    UndefinedBit,
    /// `0x8000` (PatchUninstall) belongs in ExtendedType, not in Type.
    PatchUninstallInType,
    /// In-script with both `0x100` and `0x200`.
    UndefinedInScript,
    /// In-script bits on a type that cannot be deferred (7, 23, 39, 19, 35, 51).
    NotDeferrable,
    /// `0xC0` (asynchronous, no wait) on a type that does not run an EXE.
    AsyncNoWaitNotExe,
    /// `0x80` (asynchronous) on a script action.
    AsyncScript,
    /// `0x80` on a rollback action.
    AsyncRollback,
    /// `0x80` on a nested installation.
    AsyncNestedInstall,
    /// `0x80` on a commit action (undocumented, suspicious).
    AsyncCommit,
    /// `0x800` without `0x400`: ignored at run time.
    NoImpersonateNotInScript,
    /// `0x4000` without `0x400`: ignored at run time.
    TsAwareNotInScript,
    /// `0x1000` on an action that is not a script.
    X64NotScript,
    /// ExtendedType has bits other than `0x8000`.
    UnknownExtendedBits,
}

impl TypeProblem {
    /// A short description, lower-case, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Self::OutOfRange => "the value is outside 1..=65535",
            Self::InvalidBaseType => "the base type (Type & 0x3F) is not a valid custom action type",
            Self::UndefinedBit => "bit 0x08 is set, which has no meaning",
            Self::PatchUninstallInType => {
                "bit 0x8000 (PatchUninstall) is set in Type; it belongs in ExtendedType"
            }
            Self::UndefinedInScript => {
                "in-script with both rollback (0x100) and commit (0x200) bits has no defined meaning"
            }
            Self::NotDeferrable => {
                "in-script bits on a type that cannot be deferred (nested install, error, set directory or set property)"
            }
            Self::AsyncNoWaitNotExe => "asynchronous no-wait (0xC0) is allowed only on EXE actions",
            Self::AsyncScript => "asynchronous execution (0x80) is not allowed on script actions",
            Self::AsyncRollback => "asynchronous execution (0x80) is not allowed on rollback actions",
            Self::AsyncNestedInstall => "nested installations must run synchronously",
            Self::AsyncCommit => "asynchronous execution of a commit action is undocumented",
            Self::NoImpersonateNotInScript => {
                "no-impersonate (0x800) has no effect on an action that is not in-script"
            }
            Self::TsAwareNotInScript => "TS-aware (0x4000) has no effect on an action that is not in-script",
            Self::X64NotScript => "the 64-bit script bit (0x1000) is meaningful only for script actions",
            Self::UnknownExtendedBits => "ExtendedType has bits other than 0x8000 (PatchUninstall)",
        }
    }
}

/// A fully decoded `CustomAction.Type` (plus `ExtendedType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionType {
    /// The raw `Type` value as stored.
    pub raw: i32,
    /// The raw `ExtendedType` value, when the column exists and is not null.
    pub extended: Option<i32>,
}

impl ActionType {
    pub fn new(raw: i32, extended: Option<i32>) -> Self {
        Self { raw, extended }
    }

    /// The low 16 bits, which is all the column can hold.
    pub fn bits(self) -> u16 {
        self.raw as u16
    }

    /// `Type & 0x3F`.
    pub fn base_type(self) -> u16 {
        self.bits() & 0x3F
    }

    pub fn is_valid_base(self) -> bool {
        VALID_BASE_TYPES.contains(&self.base_type())
    }

    pub fn code(self) -> CodeKind {
        match self.bits() & 0x07 {
            1 => CodeKind::Dll,
            2 => CodeKind::Exe,
            3 => CodeKind::Text,
            5 => CodeKind::JScript,
            6 => CodeKind::VBScript,
            7 => CodeKind::Install,
            _ => CodeKind::Undefined,
        }
    }

    pub fn kind(self) -> BaseKind {
        if !self.is_valid_base() {
            return BaseKind::Invalid;
        }
        match self.base_type() {
            19 => BaseKind::ErrorMessage,
            35 => BaseKind::SetDirectory,
            51 => BaseKind::SetProperty,
            _ => match self.code() {
                CodeKind::Dll => BaseKind::Dll,
                CodeKind::Exe => BaseKind::Exe,
                CodeKind::JScript => BaseKind::JScript,
                CodeKind::VBScript => BaseKind::VBScript,
                CodeKind::Install => BaseKind::NestedInstall,
                CodeKind::Text | CodeKind::Undefined => BaseKind::Invalid,
            },
        }
    }

    pub fn source(self) -> SourceKind {
        match self.base_type() {
            19 | 37 | 38 => SourceKind::Inline,
            7 => SourceKind::Substorage,
            23 => SourceKind::SourceTree,
            39 => SourceKind::Product,
            b => match b & 0x30 {
                0x00 => SourceKind::Binary,
                0x10 => SourceKind::File,
                0x20 => SourceKind::Directory,
                _ => SourceKind::Property,
            },
        }
    }

    /// The table whose key `Source` must be, if the type demands one.
    pub fn source_table(self) -> Option<&'static str> {
        if !self.is_valid_base() {
            return None;
        }
        match self.source() {
            SourceKind::Binary => Some("Binary"),
            SourceKind::File => Some("File"),
            SourceKind::Directory => Some("Directory"),
            _ => None,
        }
    }

    pub fn in_script(self) -> bool {
        self.bits() & 0x400 != 0
    }

    pub fn execution(self) -> Execution {
        let pass = self.bits() & 0x300;
        if self.in_script() {
            match pass {
                0 => Execution::Deferred,
                0x100 => Execution::Rollback,
                0x200 => Execution::Commit,
                _ => Execution::UndefinedInScript,
            }
        } else {
            Execution::Immediate(match pass {
                0 => Scheduling::Always,
                0x100 => Scheduling::FirstSequence,
                0x200 => Scheduling::OncePerProcess,
                _ => Scheduling::ClientRepeat,
            })
        }
    }

    pub fn is_rollback(self) -> bool {
        self.execution() == Execution::Rollback
    }

    pub fn is_commit(self) -> bool {
        self.execution() == Execution::Commit
    }

    /// Plain deferred (neither rollback nor commit).
    pub fn is_deferred(self) -> bool {
        self.execution() == Execution::Deferred
    }

    pub fn return_processing(self) -> ReturnProcessing {
        match self.bits() & 0xC0 {
            0x00 => ReturnProcessing::Check,
            0x40 => ReturnProcessing::Ignore,
            0x80 => ReturnProcessing::AsyncWait,
            _ => ReturnProcessing::AsyncNoWait,
        }
    }

    pub fn flags(self) -> TypeFlags {
        TypeFlags::from_bits_truncate(self.bits())
    }

    pub fn no_impersonate(self) -> bool {
        self.flags().contains(TypeFlags::NO_IMPERSONATE)
    }

    pub fn hide_target(self) -> bool {
        self.flags().contains(TypeFlags::HIDE_TARGET)
    }

    pub fn patch_uninstall(self) -> bool {
        self.extended.is_some_and(|e| e & 0x8000 != 0)
    }

    /// The action runs code (DLL, EXE or script), as opposed to setting a
    /// property or directory, showing an error or nesting an install.
    pub fn runs_code(self) -> bool {
        matches!(
            self.kind(),
            BaseKind::Dll | BaseKind::Exe | BaseKind::JScript | BaseKind::VBScript
        )
    }

    pub fn is_script(self) -> bool {
        matches!(self.kind(), BaseKind::JScript | BaseKind::VBScript)
    }

    /// Who the action runs as, in words.
    pub fn context(self) -> &'static str {
        if !self.in_script() {
            "the installing user (immediate actions always impersonate)"
        } else if self.no_impersonate() {
            "LocalSystem (no impersonation)"
        } else if self.flags().contains(TypeFlags::TS_AWARE) {
            "the installing user (impersonated, TS-aware)"
        } else {
            "the installing user (impersonated)"
        }
    }

    /// Every undefined or contradictory aspect of the value.
    pub fn problems(self) -> Vec<TypeProblem> {
        use TypeProblem::*;
        let mut out = Vec::new();
        if self.raw <= 0 || self.raw > 0xFFFF {
            out.push(OutOfRange);
        }
        if !self.is_valid_base() {
            out.push(InvalidBaseType);
        }
        if self.bits() & 0x08 != 0 {
            out.push(UndefinedBit);
        }
        if self.bits() & 0x8000 != 0 {
            out.push(PatchUninstallInType);
        }
        let execution = self.execution();
        if execution == Execution::UndefinedInScript {
            out.push(UndefinedInScript);
        }
        let kind = self.kind();
        let nested = kind == BaseKind::NestedInstall;
        if self.in_script()
            && (nested
                || matches!(
                    kind,
                    BaseKind::ErrorMessage | BaseKind::SetDirectory | BaseKind::SetProperty
                ))
        {
            out.push(NotDeferrable);
        }
        match self.return_processing() {
            ReturnProcessing::AsyncNoWait => {
                if nested {
                    out.push(AsyncNestedInstall);
                } else if kind != BaseKind::Exe && kind != BaseKind::Invalid {
                    out.push(AsyncNoWaitNotExe);
                }
            }
            ReturnProcessing::AsyncWait => {
                if nested {
                    out.push(AsyncNestedInstall);
                } else if self.is_script() {
                    out.push(AsyncScript);
                } else if execution == Execution::Rollback {
                    out.push(AsyncRollback);
                } else if execution == Execution::Commit {
                    out.push(AsyncCommit);
                }
            }
            _ => {}
        }
        if self.return_processing() == ReturnProcessing::AsyncNoWait
            && execution == Execution::Rollback
        {
            out.push(AsyncRollback);
        }
        let flags = self.flags();
        if !self.in_script() {
            if flags.contains(TypeFlags::NO_IMPERSONATE) {
                out.push(NoImpersonateNotInScript);
            }
            if flags.contains(TypeFlags::TS_AWARE) {
                out.push(TsAwareNotInScript);
            }
        }
        if flags.contains(TypeFlags::X64_SCRIPT) && !self.is_script() && kind != BaseKind::Invalid {
            out.push(X64NotScript);
        }
        if self.extended.is_some_and(|e| e & !0x8000 != 0) {
            out.push(UnknownExtendedBits);
        }
        out
    }

    /// The code kind and source in words, e.g. "DLL stored in the Binary table".
    pub fn what_and_where(self) -> String {
        let b = self.base_type();
        match self.kind() {
            BaseKind::Invalid => format!("invalid base type {b} (no such custom action type)"),
            BaseKind::ErrorMessage => {
                "error message: shows the Target text (or Error table entry) and ends the install"
                    .into()
            }
            BaseKind::SetDirectory => {
                "set directory: sets the Directory named in Source to the formatted Target".into()
            }
            BaseKind::SetProperty => {
                "set property: sets the property named in Source to the formatted Target".into()
            }
            BaseKind::NestedInstall => match b {
                7 => "nested install of a package stored as a substorage of this package".into(),
                23 => "nested install of a package in the source tree of this product".into(),
                _ => "nested install (or removal) of an advertised or installed product".into(),
            },
            kind => {
                let what = match kind {
                    BaseKind::Dll => "DLL",
                    BaseKind::Exe => "EXE",
                    BaseKind::JScript => "JScript",
                    _ => "VBScript",
                };
                let place = match (kind, self.source()) {
                    (_, SourceKind::Binary) => "stored in the Binary table",
                    (_, SourceKind::File) => "installed by this package (File table)",
                    (BaseKind::Exe, SourceKind::Directory) => {
                        "run by full path from Target, in a working directory"
                    }
                    (_, SourceKind::Inline) => "text held in the Target column",
                    (BaseKind::Exe, SourceKind::Property) => "at the path held in a property",
                    (_, SourceKind::Property) => "text held in a property",
                    _ => "",
                };
                format!("{what} {place}")
            }
        }
    }

    /// One line in plain words, e.g.
    /// "DLL stored in the Binary table, deferred (in-script), runs as LocalSystem (no impersonation), return code checked".
    pub fn summary(self) -> String {
        let mut parts = vec![self.what_and_where(), self.execution_words().to_string()];
        if self.in_script() || self.runs_code() {
            parts.push(format!("runs as {}", self.context()));
        }
        parts.push(self.return_words().to_string());
        if self.hide_target() {
            parts.push("target hidden from the log".into());
        }
        if self.flags().contains(TypeFlags::X64_SCRIPT) {
            parts.push("64-bit script".into());
        }
        if self.patch_uninstall() {
            parts.push("runs only on patch uninstall".into());
        }
        parts.join(", ")
    }

    pub fn execution_words(self) -> &'static str {
        match self.execution() {
            Execution::Immediate(Scheduling::Always) => "immediate (runs every time it is reached)",
            Execution::Immediate(Scheduling::FirstSequence) => {
                "immediate, first sequence only (skipped in the execute sequence after the UI sequence ran)"
            }
            Execution::Immediate(Scheduling::OncePerProcess) => {
                "immediate, once per process (skipped in the execute sequence if the UI sequence ran in the same process)"
            }
            Execution::Immediate(Scheduling::ClientRepeat) => {
                "immediate, client repeat (runs only when the execute sequence runs on the client after the UI)"
            }
            Execution::Deferred => "deferred (in-script)",
            Execution::Rollback => "rollback (in-script, runs only if the install rolls back)",
            Execution::Commit => "commit (in-script, runs after the script succeeds)",
            Execution::UndefinedInScript => "in-script with both rollback and commit bits (undefined)",
        }
    }

    pub fn execution_short(self) -> &'static str {
        match self.execution() {
            Execution::Immediate(Scheduling::Always) => "immediate",
            Execution::Immediate(Scheduling::FirstSequence) => "immediate, first-sequence",
            Execution::Immediate(Scheduling::OncePerProcess) => "immediate, once-per-process",
            Execution::Immediate(Scheduling::ClientRepeat) => "immediate, client-repeat",
            Execution::Deferred => "deferred",
            Execution::Rollback => "rollback",
            Execution::Commit => "commit",
            Execution::UndefinedInScript => "in-script (undefined)",
        }
    }

    pub fn return_words(self) -> &'static str {
        match self.return_processing() {
            ReturnProcessing::Check => "return code checked",
            ReturnProcessing::Ignore => "return code ignored",
            ReturnProcessing::AsyncWait => {
                "asynchronous, result collected at the end of the sequence"
            }
            ReturnProcessing::AsyncNoWait => "asynchronous, not waited for",
        }
    }

    /// A short label such as "DLL/Binary" for tables.
    pub fn kind_short(self) -> String {
        let src = match self.source() {
            SourceKind::Binary => "Binary",
            SourceKind::File => "File",
            SourceKind::Directory => "Directory",
            SourceKind::Property => "Property",
            SourceKind::Inline => "inline",
            SourceKind::Substorage => "substorage",
            SourceKind::SourceTree => "source tree",
            SourceKind::Product => "product",
        };
        match self.kind() {
            BaseKind::Dll => format!("DLL/{src}"),
            BaseKind::Exe => format!("EXE/{src}"),
            BaseKind::JScript => format!("JScript/{src}"),
            BaseKind::VBScript => format!("VBScript/{src}"),
            BaseKind::NestedInstall => format!("nested install/{src}"),
            BaseKind::ErrorMessage => "error".into(),
            BaseKind::SetDirectory => "set directory".into(),
            BaseKind::SetProperty => "set property".into(),
            BaseKind::Invalid => format!("invalid ({})", self.base_type()),
        }
    }

    /// Each set bit with its constant name and meaning in this context,
    /// for `msica explain`.
    pub fn bit_breakdown(self) -> Vec<(u16, &'static str, String)> {
        let bits = self.bits();
        let mut out = Vec::new();
        let code = bits & 0x07;
        let code_name = match code {
            1 => "msidbCustomActionTypeDll",
            2 => "msidbCustomActionTypeExe",
            3 => "msidbCustomActionTypeTextData",
            5 => "msidbCustomActionTypeJScript",
            6 => "msidbCustomActionTypeVBScript",
            7 => "msidbCustomActionTypeInstall",
            _ => "(undefined code kind)",
        };
        out.push((code, code_name, format!("code kind {code}")));
        if bits & 0x08 != 0 {
            out.push((0x08, "(undefined)", "bit 3 has no meaning".into()));
        }
        let src = bits & 0x30;
        let src_name = match src {
            0x00 => "msidbCustomActionTypeBinaryData",
            0x10 => "msidbCustomActionTypeSourceFile",
            0x20 => "msidbCustomActionTypeDirectory",
            _ => "msidbCustomActionTypeProperty",
        };
        out.push((
            src,
            src_name,
            format!("base type {} = {}", self.base_type(), self.what_and_where()),
        ));
        let ret = bits & 0xC0;
        if ret != 0 {
            let name = match ret {
                0x40 => "msidbCustomActionTypeContinue",
                0x80 => "msidbCustomActionTypeAsync",
                _ => "msidbCustomActionTypeAsync + msidbCustomActionTypeContinue",
            };
            out.push((ret, name, self.return_words().into()));
        }
        let pass = bits & 0x300;
        if pass != 0 {
            let name = match (self.in_script(), pass) {
                (true, 0x100) => "msidbCustomActionTypeRollback",
                (true, 0x200) => "msidbCustomActionTypeCommit",
                (true, _) => "(rollback + commit: undefined)",
                (false, 0x100) => "msidbCustomActionTypeFirstSequence",
                (false, 0x200) => "msidbCustomActionTypeOncePerProcess",
                (false, _) => "msidbCustomActionTypeClientRepeat",
            };
            out.push((pass, name, self.execution_words().into()));
        }
        if self.in_script() {
            out.push((
                0x400,
                "msidbCustomActionTypeInScript",
                "written to the install script (deferred family)".into(),
            ));
        }
        let flag_words: [(u16, &str, &str); 4] = [
            (
                0x800,
                "msidbCustomActionTypeNoImpersonate",
                "runs as LocalSystem when in-script",
            ),
            (
                0x1000,
                "msidbCustomActionType64BitScript",
                "runs the script in the 64-bit engine",
            ),
            (
                0x2000,
                "msidbCustomActionTypeHideTarget",
                "Target and CustomActionData are kept out of the log",
            ),
            (
                0x4000,
                "msidbCustomActionTypeTSAware",
                "impersonates the user on a Terminal Server per-machine install",
            ),
        ];
        for (bit, name, words) in flag_words {
            if bits & bit != 0 {
                out.push((bit, name, words.into()));
            }
        }
        if bits & 0x8000 != 0 {
            out.push((
                0x8000,
                "msidbCustomActionTypePatchUninstall",
                "belongs in ExtendedType, not in Type".into(),
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_elevated_deferred_dll() {
        let t = ActionType::new(3073, None);
        assert_eq!(t.kind(), BaseKind::Dll);
        assert_eq!(t.source(), SourceKind::Binary);
        assert_eq!(t.execution(), Execution::Deferred);
        assert!(t.no_impersonate());
        assert_eq!(t.return_processing(), ReturnProcessing::Check);
        assert!(t.problems().is_empty());
        let s = t.summary();
        assert!(s.contains("DLL stored in the Binary table"), "{s}");
        assert!(s.contains("deferred (in-script)"), "{s}");
        assert!(s.contains("LocalSystem"), "{s}");
        assert!(s.contains("return code checked"), "{s}");
    }

    #[test]
    fn scheduling_bits_depend_on_in_script() {
        assert_eq!(
            ActionType::new(257, None).execution(),
            Execution::Immediate(Scheduling::FirstSequence)
        );
        assert_eq!(ActionType::new(1281, None).execution(), Execution::Rollback);
        assert_eq!(
            ActionType::new(513, None).execution(),
            Execution::Immediate(Scheduling::OncePerProcess)
        );
        assert_eq!(ActionType::new(1537, None).execution(), Execution::Commit);
        assert_eq!(
            ActionType::new(769, None).execution(),
            Execution::Immediate(Scheduling::ClientRepeat)
        );
        assert_eq!(
            ActionType::new(1793, None).execution(),
            Execution::UndefinedInScript
        );
        assert!(ActionType::new(1793, None)
            .problems()
            .contains(&TypeProblem::UndefinedInScript));
    }

    #[test]
    fn source_follows_whole_base_type() {
        assert_eq!(ActionType::new(19, None).source(), SourceKind::Inline);
        assert_eq!(ActionType::new(37, None).source(), SourceKind::Inline);
        assert_eq!(ActionType::new(39, None).source(), SourceKind::Product);
        assert_eq!(ActionType::new(34, None).source(), SourceKind::Directory);
        assert_eq!(ActionType::new(50, None).source(), SourceKind::Property);
        assert_eq!(ActionType::new(51, None).kind(), BaseKind::SetProperty);
        assert_eq!(ActionType::new(35, None).source_table(), Some("Directory"));
        assert_eq!(ActionType::new(17, None).source_table(), Some("File"));
        assert_eq!(ActionType::new(51, None).source_table(), None);
    }

    #[test]
    fn invalid_combinations_are_reported() {
        assert!(ActionType::new(1027, None)
            .problems()
            .contains(&TypeProblem::InvalidBaseType));
        assert!(ActionType::new(9, None)
            .problems()
            .contains(&TypeProblem::UndefinedBit));
        assert!(ActionType::new(0, None)
            .problems()
            .contains(&TypeProblem::OutOfRange));
        assert!(ActionType::new(1 + 0xC0, None)
            .problems()
            .contains(&TypeProblem::AsyncNoWaitNotExe));
        assert!(!ActionType::new(2 + 0xC0, None)
            .problems()
            .contains(&TypeProblem::AsyncNoWaitNotExe));
        assert!(ActionType::new(6 + 0x80, None)
            .problems()
            .contains(&TypeProblem::AsyncScript));
        assert!(ActionType::new(1 + 0x80 + 0x500, None)
            .problems()
            .contains(&TypeProblem::AsyncRollback));
        assert!(ActionType::new(7 + 0x80, None)
            .problems()
            .contains(&TypeProblem::AsyncNestedInstall));
        assert!(ActionType::new(51 + 0x400, None)
            .problems()
            .contains(&TypeProblem::NotDeferrable));
        assert!(ActionType::new(1 + 0x800, None)
            .problems()
            .contains(&TypeProblem::NoImpersonateNotInScript));
        assert!(ActionType::new(1 + 0x4000, None)
            .problems()
            .contains(&TypeProblem::TsAwareNotInScript));
        assert!(ActionType::new(1 + 0x1000, None)
            .problems()
            .contains(&TypeProblem::X64NotScript));
        assert!(ActionType::new(6 + 0x1000, None).problems().is_empty());
        assert!(ActionType::new(1, Some(0x8001))
            .problems()
            .contains(&TypeProblem::UnknownExtendedBits));
        assert!(ActionType::new(1, Some(0x8000)).patch_uninstall());
    }

    #[test]
    fn every_sixteen_bit_value_decodes() {
        for raw in 0..=0xFFFF {
            let t = ActionType::new(raw, Some(raw));
            let _ = (t.summary(), t.problems(), t.bit_breakdown(), t.kind_short());
            let invalid = t.problems().contains(&TypeProblem::InvalidBaseType);
            assert_eq!(invalid, t.kind() == BaseKind::Invalid, "{raw}");
        }
    }

    #[test]
    fn common_values_are_valid() {
        for raw in [
            1, 2, 18, 19, 34, 35, 51, 257, 307, 1025, 1281, 1537, 3073, 3090, 3106, 3122, 3137,
            3329, 3585, 11265, 11521,
        ] {
            assert!(ActionType::new(raw, None).problems().is_empty(), "{raw}");
        }
    }
}
