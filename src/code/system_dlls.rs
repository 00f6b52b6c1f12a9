//! Which DLLs a clean Windows has: the list of Windows' own DLLs is data
//! (`windows-dlls.txt`, with its sources), read once.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Where an imported DLL comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    /// Every supported Windows has it.
    Windows,
    /// The Universal CRT: part of Windows 10 and later; Windows 7 and 8.1
    /// have it only with update KB2999226 or a Visual C++ 2015+ runtime.
    UniversalCrt,
    /// Not part of Windows: a Visual C++ runtime, MFC, or the vendor's own DLL.
    NotOnWindows,
}

fn windows_dlls() -> &'static HashSet<String> {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| {
        include_str!("windows-dlls.txt")
            .lines()
            .map(|l| l.split('#').next().unwrap_or_default().trim())
            .filter(|l| !l.is_empty())
            .map(str::to_ascii_lowercase)
            .collect()
    })
}

/// Where the imported DLL `name` comes from.
pub fn availability(name: &str) -> Availability {
    let lower = name.to_ascii_lowercase();
    if lower == "ucrtbase.dll" || lower.starts_with("api-ms-win-crt-") {
        Availability::UniversalCrt
    } else if lower.starts_with("api-ms-win-") || lower.starts_with("ext-ms-") {
        // API sets: names the loader maps to Windows' own DLLs.
        Availability::Windows
    } else if windows_dlls().contains(&lower) {
        Availability::Windows
    } else {
        Availability::NotOnWindows
    }
}

/// What a person should know about a DLL Windows lacks: which
/// redistributable brings it.
pub fn comes_with(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    let debug = lower.trim_end_matches(".dll").ends_with('d');
    let vc = ["msvcr", "msvcp", "vcruntime", "vcomp", "concrt"];
    if vc.iter().any(|p| lower.starts_with(p)) {
        return Some(if debug && !lower.starts_with("vcruntime140_1.") {
            "a debug build of the Visual C++ runtime, which only Visual Studio installs and which may not be redistributed"
        } else {
            "the Visual C++ runtime (its redistributable), not with Windows"
        });
    }
    if lower.starts_with("mfc") || lower.starts_with("atl") && lower != "atl.dll" {
        return Some("the Visual C++ MFC/ATL runtime (its redistributable), not with Windows");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_own_dlls_and_runtimes() {
        assert_eq!(availability("KERNEL32.dll"), Availability::Windows);
        assert_eq!(availability("msvcrt.dll"), Availability::Windows);
        assert_eq!(
            availability("api-ms-win-core-synch-l1-2-0.dll"),
            Availability::Windows
        );
        assert_eq!(
            availability("api-ms-win-crt-runtime-l1-1-0.dll"),
            Availability::UniversalCrt
        );
        assert_eq!(availability("ucrtbase.dll"), Availability::UniversalCrt);
        for dll in [
            "MSVCR80D.dll",
            "MSVCR120.dll",
            "MSVCP140.dll",
            "VCRUNTIME140.dll",
            "mfc140u.dll",
            "vendor.dll",
        ] {
            assert_eq!(availability(dll), Availability::NotOnWindows, "{dll}");
        }
        assert!(comes_with("MSVCR80D.dll").unwrap().contains("debug"));
        assert!(!comes_with("MSVCR80.dll").unwrap().contains("debug"));
        assert_eq!(comes_with("vendor.dll"), None);
    }
}
