-- MCA115 duplicate-sequence: the custom actions CheckFoo and CheckBar share
-- sequence number 1001 in InstallExecuteSequence, so their relative order is
-- undefined (ICE82).

-- 1 = DLL from Binary, immediate.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('CheckFoo', 1, 'FooCA', 'CheckFoo');
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('CheckBar', 1, 'FooCA', 'CheckBar');

-- Defect: both at 1001 (after CostFinalize, 1000).
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('CheckFoo', 'NOT Installed', 1001);
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('CheckBar', 'NOT Installed', 1001);
