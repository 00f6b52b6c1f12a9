-- MCA402 condition-mismatch: InstallFoo runs under 'NOT Installed AND NOT
-- PATCH' but its rollback InstallFooRollback under 'NOT Installed', so when a
-- patch is applied during the first installation the rollback is in the script
-- without InstallFoo and undoes something that never happened. (A rollback
-- narrower than its action is a deliberate design, reported as info only.)

-- 3329 = 1 (DLL from Binary) + 0x400 in-script + 0x100 rollback + 0x800 no-impersonate.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('InstallFooRollback', 3329, 'FooCA', 'InstallFooRollback');
-- 3073 = 1 (DLL from Binary) + 0x400 in-script + 0x800 no-impersonate (deferred).
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('InstallFoo', 3073, 'FooCA', 'InstallFoo');

-- Defect: the two conditions are not equivalent.
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('InstallFooRollback', 'NOT Installed', 4001);
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('InstallFoo', 'NOT Installed AND NOT PATCH', 4002);
