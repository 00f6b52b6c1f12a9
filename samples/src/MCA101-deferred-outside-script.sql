-- MCA101 deferred-outside-script: the deferred action InstallFoo (with its
-- rollback) is scheduled after InstallValidate (1400) but before
-- InstallInitialize (1500). No install script exists there yet (ICE77,
-- run-time error 2762).

-- 3329 = 1 (DLL from Binary) + 0x400 in-script + 0x100 rollback + 0x800 no-impersonate.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('InstallFooRollback', 3329, 'FooCA', 'InstallFooRollback');
-- 3073 = 1 (DLL from Binary) + 0x400 in-script + 0x800 no-impersonate (deferred).
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('InstallFoo', 3073, 'FooCA', 'InstallFoo');

-- Defect: both rows lie before InstallInitialize (1500).
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('InstallFooRollback', 'NOT Installed', 1401);
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('InstallFoo', 'NOT Installed', 1402);
