-- MCA103 rollback-after-action: InstallFooRollback undoes InstallFoo (same
-- Binary, name with a Rollback suffix) but is scheduled after it, so it is
-- not in the rollback script when InstallFoo itself fails.

-- 3073 = 1 (DLL from Binary) + 0x400 in-script + 0x800 no-impersonate (deferred).
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('InstallFoo', 3073, 'FooCA', 'InstallFoo');
-- 3329 = 1 (DLL from Binary) + 0x400 in-script + 0x100 rollback + 0x800 no-impersonate.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('InstallFooRollback', 3329, 'FooCA', 'InstallFooRollback');

-- Defect: the rollback (4002) comes after the action it undoes (4001).
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('InstallFoo', 'NOT Installed', 4001);
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('InstallFooRollback', 'NOT Installed', 4002);
