-- MCA403 mixed-logical-precedence: the condition of CheckFoo mixes OR and XOR
-- without parentheses. Microsoft's precedence reads it as
-- FOO_ENABLED OR (REINSTALL XOR FORCE_FOO); Wine reads it as
-- (FOO_ENABLED OR REINSTALL) XOR FORCE_FOO.

-- 1 = DLL from Binary, immediate.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('CheckFoo', 1, 'FooCA', 'CheckFoo');

-- Defect: 'FOO_ENABLED OR REINSTALL XOR FORCE_FOO'.
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('CheckFoo', 'FOO_ENABLED OR REINSTALL XOR FORCE_FOO', 1001);
