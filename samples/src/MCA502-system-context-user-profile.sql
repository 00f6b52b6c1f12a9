-- MCA502 system-context-user-profile: the elevated deferred EXE action
-- InstallFoo copies a file into [AppDataFolder]. It runs as LocalSystem in
-- session 0, so the file lands in the system profile, not the user's.

-- 3362 = 34 (EXE with a Directory source) + 0x400 in-script + 0x100
-- rollback + 0x800 no-impersonate: the same context as InstallFoo, so that it
-- undoes what InstallFoo did where InstallFoo did it (MCA121 otherwise).
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('InstallFooRollback', 3362, 'INSTALLDIR', '"[SystemFolder]cmd.exe" /c del /q "[AppDataFolder]msica-app.dat"');
-- Defect: 3106 = 34 (EXE with a Directory source) + 0x400 in-script + 0x800
-- no-impersonate, whose command line writes to the user's AppData folder.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('InstallFoo', 3106, 'INSTALLDIR', '"[SystemFolder]cmd.exe" /c copy /y "[INSTALLDIR]app.dat" "[AppDataFolder]msica-app.dat"');

-- Correct placement: rollback immediately before InstallFoo, after InstallFiles.
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('InstallFooRollback', 'NOT Installed', 4001);
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('InstallFoo', 'NOT Installed', 4002);
