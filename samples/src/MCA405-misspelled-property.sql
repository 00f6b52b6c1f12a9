-- MCA405 misspelled-property: CleanupFoo should run only when the user
-- removes the product, not when a major upgrade does, but its condition
-- tests UPGRADEPRODUCTCODE, which nothing sets, instead of the standard
-- UPGRADINGPRODUCTCODE: `NOT UPGRADEPRODUCTCODE` is always true.

-- 1 = DLL from Binary, immediate.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('CleanupFoo', 1, 'FooCA', 'CleanupFoo');

-- Defect: the property name is misspelled.
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('CleanupFoo', 'REMOVE~="ALL" AND NOT UPGRADEPRODUCTCODE', 1001);
