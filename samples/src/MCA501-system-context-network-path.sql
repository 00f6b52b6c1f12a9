-- MCA501 system-context-network-path: the elevated deferred EXE action
-- InstallFoo runs a program from a network share. It runs as LocalSystem,
-- whose machine account usually cannot read \\fileserver\deploy.

-- 3362 = 34 (EXE, Source = working directory, Target = full command line)
-- + 0x400 in-script + 0x100 rollback + 0x800 no-impersonate. Local program.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('InstallFooRollback', 3362, 'INSTALLDIR', '"[SystemFolder]sc.exe" delete FooService');
-- Defect: 3106 = 34 (EXE with a Directory source) + 0x400 in-script + 0x800
-- no-impersonate, whose command line starts a program on a UNC path.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('InstallFoo', 3106, 'INSTALLDIR', '"\\fileserver\deploy\foo-setup.exe" /install-service /quiet');

-- Correct placement: rollback immediately before InstallFoo, after InstallFiles.
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('InstallFooRollback', 'NOT Installed', 4001);
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('InstallFoo', 'NOT Installed', 4002);
