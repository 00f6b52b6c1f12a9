-- MCA204 script-action: CheckFoo is a VBScript custom action.

-- Defect: 6 = VBScript from Binary, immediate; Target is the function to call.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('CheckFoo', 6, 'FooVbs', 'CheckFoo');

INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('CheckFoo', 'NOT Installed', 1001);
