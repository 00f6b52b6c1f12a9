-- MCA202 invalid-flags: the rollback action InstallFooRollback carries the
-- asynchronous bit 0x80. Rollback actions must be synchronous.

-- Defect: 3457 = 1 (DLL from Binary) + 0x80 async + 0x100 rollback + 0x400
-- in-script + 0x800 no-impersonate.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('InstallFooRollback', 3457, 'FooCA', 'InstallFooRollback');
-- 3073 = 1 (DLL from Binary) + 0x400 in-script + 0x800 no-impersonate (deferred).
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('InstallFoo', 3073, 'FooCA', 'InstallFoo');

-- Correct placement: rollback immediately before InstallFoo, after InstallFiles.
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('InstallFooRollback', 'NOT Installed', 4001);
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('InstallFoo', 'NOT Installed', 4002);
