-- MCA112 customactiondata-after-action: SetInstallFoo sets the property
-- InstallFoo (the CustomActionData of the deferred action InstallFoo) but is
-- scheduled after InstallFoo, so InstallFoo receives empty data.

-- 3329 = 1 (DLL from Binary) + 0x400 in-script + 0x100 rollback + 0x800 no-impersonate.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('InstallFooRollback', 3329, 'FooCA', 'InstallFooRollback');
-- 3073 = 1 (DLL from Binary) + 0x400 in-script + 0x800 no-impersonate (deferred).
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('InstallFoo', 3073, 'FooCA', 'InstallFoo');
-- 51 = text + Property source: set property InstallFoo.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('SetInstallFoo', 51, 'InstallFoo', 'INSTALLDIR=[INSTALLDIR]');

INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('InstallFooRollback', 'NOT Installed', 4001);
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('InstallFoo', 'NOT Installed', 4002);
-- Defect: the setter (4003) comes after the deferred action (4002).
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('SetInstallFoo', 'NOT Installed', 4003);
