-- MCA201 invalid-type: CheckFoo has Type 4. Code kind 4 has no meaning (the
-- valid kinds are 1 DLL, 2 EXE, 3 text, 5 JScript, 6 VBScript, 7 install),
-- so base type 4 is not a custom action type (ICE68).

-- Defect: 4 = code kind 4 + Binary source.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('CheckFoo', 4, 'FooCA', 'CheckFoo');

INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('CheckFoo', 'NOT Installed', 1001);
