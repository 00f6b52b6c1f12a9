-- MCA108 advertise-sequence-action: a DLL custom action (type 1) scheduled in
-- AdvtExecuteSequence, where only types 19, 35 and 51 are allowed (ICE72).

-- 1 = DLL from Binary, immediate.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('CheckFoo', 1, 'FooCA', 'CheckFoo');

-- Defect: scheduled in the advertisement sequence (after CostFinalize, 1000).
INSERT INTO AdvtExecuteSequence (Action, Sequence)
  VALUES ('CheckFoo', 1001);
