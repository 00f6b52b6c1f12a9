-- MCA121 rollback-context-mismatch: InstallFoo runs as LocalSystem, but its
-- rollback InstallFooRollback runs as the installing user, who under UAC
-- lacks the rights to undo what LocalSystem did.

-- 3073 = 1 (DLL from Binary) + 0x400 in-script + 0x800 no-impersonate (deferred).
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('InstallFoo', 3073, 'FooCA', 'InstallFoo');
-- Defect: 1281 = 1 (DLL from Binary) + 0x400 in-script + 0x100 rollback,
-- without 0x800, so the rollback impersonates the user.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('InstallFooRollback', 1281, 'FooCA', 'InstallFooRollback');

INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('InstallFooRollback', 'NOT Installed', 4001);
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('InstallFoo', 'NOT Installed', 4002);
