-- MCA404 state-condition-too-early: CheckFoo is conditioned on the action
-- state of component MainComponent ($MainComponent=3) but is scheduled
-- before CostFinalize (1000), where component states are not known yet.

-- 1 = DLL from Binary, immediate.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('CheckFoo', 1, 'FooCA', 'CheckFoo');

-- Defect: 801 lies between CostInitialize (800) and CostFinalize (1000).
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('CheckFoo', '$MainComponent=3', 801);
