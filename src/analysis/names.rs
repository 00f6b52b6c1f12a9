//! The words of action names and entry points: build decorations removed,
//! split into words, and the role words (Rollback, Exec, Sched ...) that tell
//! the halves of a pair apart.

/// Strips WiX v4+ prefixes, platform suffixes and a merge-module GUID
/// suffix, so that names from different builds compare equal.
pub fn normalize_name(name: &str) -> String {
    normalized(name).to_owned()
}

pub(super) fn normalized(name: &str) -> &str {
    let mut s = strip_module_suffix(name);
    for prefix in ["Wix4", "Wix5", "Wix6"] {
        if let Some(rest) = s.strip_prefix(prefix) {
            if rest.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
                s = rest;
                break;
            }
        }
    }
    for suffix in [
        "_X86", "_X64", "_A64", "_A32", "_ARM", "_x64", "_64", "_ARM64", "_x86",
    ] {
        if let Some(rest) = s.strip_suffix(suffix) {
            s = rest;
            break;
        }
    }
    s
}

/// `Name.0123ABCD_...` (a merge-module key) → `Name`.
pub fn strip_module_suffix(name: &str) -> &str {
    match name.rsplit_once('.') {
        Some((stem, guid)) if is_module_guid(guid) => stem,
        _ => name,
    }
}

/// The merge-module GUID suffix of a name, if it has one.
pub(super) fn module_guid(name: &str) -> Option<&str> {
    name.rsplit_once('.')
        .map(|(_, guid)| guid)
        .filter(|guid| is_module_guid(guid))
}

pub(super) fn is_module_guid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('_').collect();
    parts.len() == 5
        && [8, 4, 4, 4, 12]
            .iter()
            .zip(&parts)
            .all(|(len, p)| p.len() == *len && p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Words that mark the deferred half of a pair, in any position of a name or
/// entry point (`ExecFoo`, `Foo_Deferred`, `DoFoo`, `InstallFoo`).
pub(super) const DEFERRED_WORDS: [&str; 5] = ["Deferred", "Exec", "Execute", "Do", "Install"];
/// Words that mark a rollback action; `Un` as in `DoUnRegisterTypeLib`, the
/// rollback of `DoRegisterTypeLib`.
pub(super) const ROLLBACK_WORDS: [&str; 4] = ["Rollback", "Undo", "Rb", "Un"];
pub(super) const COMMIT_WORDS: [&str; 1] = ["Commit"];
/// Words of a scheduler's name that the actions it schedules do not carry
/// (`SchedXmlFile` schedules `ExecXmlFile`, `WrRegisterTypeLib` schedules
/// `DoRegisterTypeLib`).
pub(super) const SCHEDULER_WORDS: [&str; 5] = ["Sched", "Schedule", "Write", "Wr", "Configure"];

/// The words of a name: split at `_`, `.` and other punctuation, where a
/// lower-case letter or digit meets a capital (`ExecFoo`), and before the
/// last capital of a run followed by lower case (`DDSECa` → `DDSE`, `Ca`).
pub(super) fn words(name: &str) -> Vec<&str> {
    let mut out = Vec::with_capacity(4);
    let mut start = None;
    let mut prev = '\0';
    let mut chars = name.char_indices().peekable();
    while let Some((pos, c)) = chars.next() {
        if !c.is_alphanumeric() {
            if let Some(s) = start.take() {
                out.push(&name[s..pos]);
            }
        } else if let Some(s) = start {
            let next_is_lower = chars.peek().is_some_and(|&(_, n)| n.is_lowercase());
            if c.is_uppercase()
                && (prev.is_lowercase()
                    || prev.is_ascii_digit()
                    || (prev.is_uppercase() && next_is_lower))
            {
                out.push(&name[s..pos]);
                start = Some(pos);
            }
        } else {
            start = Some(pos);
        }
        prev = c;
    }
    if let Some(s) = start {
        out.push(&name[s..]);
    }
    join_split_role_words(name, out)
}

/// Role words written with an inner capital (`RollBack`, `UnDo`) are split
/// in two by [`words`]; this joins them back when they touch.
fn join_split_role_words<'a>(name: &'a str, words: Vec<&'a str>) -> Vec<&'a str> {
    const SPLIT: [(&str, &str); 2] = [("Roll", "Back"), ("Un", "Do")];
    let offset = |w: &str| w.as_ptr() as usize - name.as_ptr() as usize;
    let mut out: Vec<&'a str> = Vec::with_capacity(words.len());
    for w in words {
        if let Some(prev) = out.last_mut() {
            let (start, end) = (offset(prev), offset(prev) + prev.len());
            let halves = SPLIT
                .iter()
                .any(|(a, b)| prev.eq_ignore_ascii_case(a) && w.eq_ignore_ascii_case(b));
            if halves && end == offset(w) {
                *prev = &name[start..end + w.len()];
                continue;
            }
        }
        out.push(w);
    }
    out
}

/// Whether a word of `name` (build decorations removed) is one of `list`,
/// in any case (`DeleteTask`, `CleanUp_Files` for `Delete`, `Clean`).
pub fn name_has_word(name: &str, list: &[&str]) -> bool {
    words(normalized(name))
        .iter()
        .any(|w| is_one_of(w, &[list]))
}

pub(super) fn is_one_of(word: &str, lists: &[&[&str]]) -> bool {
    lists
        .iter()
        .any(|list| list.iter().any(|w| w.eq_ignore_ascii_case(word)))
}

/// The words of `text` that are not in `lists`.
pub(super) fn words_without<'a>(text: &'a str, lists: &[&[&str]]) -> Vec<&'a str> {
    without(&words(text), lists)
}

/// `words` without those in `lists`.
pub(super) fn without<'a>(words: &[&'a str], lists: &[&[&str]]) -> Vec<&'a str> {
    words
        .iter()
        .copied()
        .filter(|w| !is_one_of(w, lists))
        .collect()
}

/// Words joined with `_`; `None` when there is none.
pub(super) fn joined(words: Vec<&str>) -> Option<String> {
    (!words.is_empty()).then(|| words.join("_"))
}

/// The words of a normalised action name without the role words in
/// `lists`, joined with `_` ([`keyed`]).
pub(super) fn name_key(name: &str, lists: &[&[&str]]) -> Option<String> {
    keyed(words_without(normalized(name), lists), name)
}

/// Words joined with `_`, plus the merge-module GUID of `name` that both
/// halves of a pair carry; `None` when there is no word.
pub(super) fn keyed(words: Vec<&str>, name: &str) -> Option<String> {
    let key = joined(words)?;
    Some(match module_guid(name) {
        Some(guid) => format!("{key}.{guid}"),
        None => key,
    })
}

/// The same for an entry point (a Target), which carries no build decoration.
pub(super) fn entry_key(target: &str, lists: &[&[&str]]) -> Option<String> {
    joined(words_without(target, lists))
}

/// What is left of a name to compare with a scheduler's name.
pub(super) fn scheduler_key(name: &str) -> Option<String> {
    name_key(
        name,
        &[
            &DEFERRED_WORDS,
            &ROLLBACK_WORDS,
            &COMMIT_WORDS,
            &SCHEDULER_WORDS,
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_wix_and_module_names() {
        assert_eq!(normalize_name("Wix4ExecXmlFile_X64"), "ExecXmlFile");
        assert_eq!(normalize_name("ExecXmlFile_64"), "ExecXmlFile");
        assert_eq!(
            normalize_name("CA_Help.3643236F_FC70_11D3_A536_0090278A1BB8"),
            "CA_Help"
        );
        assert_eq!(normalize_name("Wix4"), "Wix4");
    }

    #[test]
    fn words_split_at_case_digits_and_punctuation() {
        assert_eq!(
            words("ExecXmlFileRollback"),
            ["Exec", "Xml", "File", "Rollback"]
        );
        assert_eq!(
            words("DDSE_CA_Uninstall_Deferred"),
            ["DDSE", "CA", "Uninstall", "Deferred"]
        );
        assert_eq!(words("Do_sqlFileSDDL"), ["Do", "sql", "File", "SDDL"]);
        assert_eq!(words("RegisterPort10"), ["Register", "Port10"]);
        assert_eq!(
            words("DoUnRegisterTypeLib"),
            ["Do", "Un", "Register", "Type", "Lib"]
        );
        assert_eq!(words("_ID.rollback"), ["ID", "rollback"]);
        assert_eq!(
            words("GameUXRollBackAddAsCurUser"),
            ["Game", "UX", "RollBack", "Add", "As", "Cur", "User"]
        );
        assert_eq!(words("FooUnDo"), ["Foo", "UnDo"]);
        assert_eq!(words("Roll_Back"), ["Roll", "Back"]);
    }
}
