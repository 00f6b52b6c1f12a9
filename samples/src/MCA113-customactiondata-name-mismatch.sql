-- MCA113 customactiondata-name-mismatch: SetInstallFoo is meant to pass data
-- to the deferred action InstallFoo but sets the property installFoo
-- (lower-case i). Property names are case-sensitive, so InstallFoo's
-- CustomActionData stays empty.

-- 51 = text + Property source. Defect: Source 'installFoo', not 'InstallFoo'.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('SetInstallFoo', 51, 'installFoo', 'INSTALLDIR=[INSTALLDIR]');
-- 3329 = 1 (DLL from Binary) + 0x400 in-script + 0x100 rollback + 0x800 no-impersonate.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('InstallFooRollback', 3329, 'FooCA', 'InstallFooRollback');
-- 3073 = 1 (DLL from Binary) + 0x400 in-script + 0x800 no-impersonate (deferred).
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('InstallFoo', 3073, 'FooCA', 'InstallFoo');

-- Correct order: setter, rollback, deferred action, after InstallFiles (4000).
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('SetInstallFoo', 'NOT Installed', 4001);
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('InstallFooRollback', 'NOT Installed', 4002);
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('InstallFoo', 'NOT Installed', 4003);
