#!/usr/bin/env python3
"""The independent oracle for msica's PE reader.

For every DLL custom action (base type 1: a DLL in the Binary table) of every
database in the corpus, reads the DLL with Python's pefile (a PE reader that
is not msica's) and prints the machine and whether the action's Target is an
export, as GetProcAddress looks it up (exact, case-sensitive, non-empty).
Tables and streams are read with msitools' `msiinfo`.

    python3 tests/data/pe_oracle.py ../shared/corpus/msi > tests/data/pe_oracle.tsv
"""

import os
import subprocess
import sys

import pefile

MACHINES = {0x14C: "x86", 0x8664: "x64", 0xAA64: "arm64"}


def custom_actions(msi):
    idt = subprocess.run(["msiinfo", "export", msi, "CustomAction"], capture_output=True)
    if idt.returncode != 0:
        return []
    lines = idt.stdout.decode("latin-1").replace("\r\n", "\n").split("\n")[3:]
    rows = []
    for line in lines:
        cells = line.split("\t")
        if len(cells) < 4:
            continue
        try:
            kind = int(cells[1]) & 0x3F
        except ValueError:
            continue
        if kind == 1:
            rows.append((cells[0], cells[2], cells[3]))
    return rows


def main(corpus):
    print("package\taction\tsource\tmachine\tentry_exported")
    for name in sorted(os.listdir(corpus)):
        path = os.path.join(corpus, name)
        cache = {}
        for action, source, target in custom_actions(path):
            if source not in cache:
                data = subprocess.run(["msiinfo", "extract", path, "Binary." + source], capture_output=True)
                try:
                    cache[source] = pefile.PE(data=data.stdout, fast_load=True) if data.returncode == 0 else None
                    if cache[source] is not None:
                        cache[source].parse_data_directories(
                            directories=[pefile.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_EXPORT"]]
                        )
                except pefile.PEFormatError:
                    cache[source] = None
            pe = cache[source]
            if pe is None:
                continue
            machine = MACHINES.get(pe.FILE_HEADER.Machine, "null")
            exports = {
                s.name.decode("latin-1")
                for s in getattr(getattr(pe, "DIRECTORY_ENTRY_EXPORT", None), "symbols", [])
                if s.name
            }
            exported = "true" if target and target in exports else "false"
            print(f"{name}\t{action}\t{source}\t{machine}\t{exported}")


if __name__ == "__main__":
    main(sys.argv[1])
