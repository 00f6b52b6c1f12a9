-- MCA401 condition-syntax: the condition of CleanupFoo has an opening
-- parenthesis that is never closed, so it does not parse.

-- 1 = DLL from Binary, immediate.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('CleanupFoo', 1, 'FooCA', 'CleanupFoo');

-- Defect: 'Installed AND (REMOVE="ALL"' lacks its ')'. After InstallValidate
-- (1400), where REMOVE is reliable.
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('CleanupFoo', 'Installed AND (REMOVE="ALL"', 1401);
