-- MCA119 insecure-ui-property: SERVICEPORT is typed into a dialog and passed
-- to a deferred action through its CustomActionData, but it is not in
-- SecureCustomProperties: an elevated install drops what the user typed and
-- configures port 8080.

-- The skeleton has no UI: the Dialog and Control tables, with the columns
-- Windows Installer defines.
CREATE TABLE `Dialog` (`Dialog` CHAR(72) NOT NULL, `HCentering` SHORT NOT NULL,
  `VCentering` SHORT NOT NULL, `Width` SHORT NOT NULL, `Height` SHORT NOT NULL,
  `Attributes` LONG, `Title` CHAR(128) LOCALIZABLE, `Control_First` CHAR(50) NOT NULL,
  `Control_Default` CHAR(50), `Control_Cancel` CHAR(50) PRIMARY KEY `Dialog`);
CREATE TABLE `Control` (`Dialog_` CHAR(72) NOT NULL, `Control` CHAR(50) NOT NULL,
  `Type` CHAR(20) NOT NULL, `X` SHORT NOT NULL, `Y` SHORT NOT NULL, `Width` SHORT NOT NULL,
  `Height` SHORT NOT NULL, `Attributes` LONG, `Property` CHAR(72), `Text` LONGCHAR LOCALIZABLE,
  `Control_Next` CHAR(50), `Help` CHAR(50) LOCALIZABLE PRIMARY KEY `Dialog_`, `Control`);
INSERT INTO Dialog (Dialog, HCentering, VCentering, Width, Height, Attributes, Title, Control_First, Control_Default, Control_Cancel)
  VALUES ('PortDlg', 50, 50, 370, 270, 3, 'Port', 'Port', 'Port', 'Port');
-- The edit control writes SERVICEPORT.
INSERT INTO Control (Dialog_, Control, Type, X, Y, Width, Height, Attributes, Property, Text)
  VALUES ('PortDlg', 'Port', 'Edit', 20, 60, 100, 18, 3, 'SERVICEPORT', '{5}');
INSERT INTO InstallUISequence (Action, Sequence)
  VALUES ('PortDlg', 1200);

-- 51 = set ConfigureService's CustomActionData from the port.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('SetConfigureService', 51, 'ConfigureService', 'port=[SERVICEPORT]');
-- 3073 = DLL from Binary, deferred, no impersonation, with its rollback.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('ConfigureService', 3073, 'ConfigCA', 'Configure');
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('RollbackConfigureService', 3329, 'ConfigCA', 'Unconfigure');
INSERT INTO InstallExecuteSequence (Action, Sequence)
  VALUES ('SetConfigureService', 4098);
INSERT INTO InstallExecuteSequence (Action, Sequence)
  VALUES ('RollbackConfigureService', 4099);
INSERT INTO InstallExecuteSequence (Action, Sequence)
  VALUES ('ConfigureService', 4100);
