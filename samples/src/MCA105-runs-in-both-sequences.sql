-- MCA105 runs-in-both-sequences: the immediate DLL action CheckFoo has no
-- run-once option (0x100/0x200/0x300) and is scheduled in both
-- InstallUISequence and InstallExecuteSequence, so with full UI it runs twice.

-- 1 = DLL from Binary, immediate, synchronous, no scheduling option.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('CheckFoo', 1, 'FooCA', 'CheckFoo');

-- Defect: the same action in both sequences, after InstallValidate (1400) in
-- the execute sequence, where detection actions no longer belong.
INSERT INTO InstallUISequence (Action, Condition, Sequence)
  VALUES ('CheckFoo', 'NOT Installed', 1001);
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('CheckFoo', 'NOT Installed', 1401);
