-- MCA111 deferred-via-doaction: the Next button of the dialog WelcomeDlg
-- calls the deferred action InstallFoo through a DoAction control event. The
-- UI has no install script, so this fails with error 2762.
-- wixl cannot author dialogs, so the Dialog, Control and ControlEvent tables
-- are created here with the column definitions of the Windows Installer SDK.

CREATE TABLE `Dialog` (
  `Dialog` CHAR(72) NOT NULL, `HCentering` SHORT NOT NULL, `VCentering` SHORT NOT NULL,
  `Width` SHORT NOT NULL, `Height` SHORT NOT NULL, `Attributes` LONG,
  `Title` CHAR(128) LOCALIZABLE, `Control_First` CHAR(50) NOT NULL,
  `Control_Default` CHAR(50), `Control_Cancel` CHAR(50)
  PRIMARY KEY `Dialog`);
CREATE TABLE `Control` (
  `Dialog_` CHAR(72) NOT NULL, `Control` CHAR(50) NOT NULL, `Type` CHAR(20) NOT NULL,
  `X` SHORT NOT NULL, `Y` SHORT NOT NULL, `Width` SHORT NOT NULL, `Height` SHORT NOT NULL,
  `Attributes` LONG, `Property` CHAR(72), `Text` LONGCHAR LOCALIZABLE,
  `Control_Next` CHAR(50), `Help` CHAR(50) LOCALIZABLE
  PRIMARY KEY `Dialog_`, `Control`);
CREATE TABLE `ControlEvent` (
  `Dialog_` CHAR(72) NOT NULL, `Control_` CHAR(50) NOT NULL, `Event` CHAR(50) NOT NULL,
  `Argument` CHAR(255) NOT NULL, `Condition` CHAR(255), `Ordering` SHORT
  PRIMARY KEY `Dialog_`, `Control_`, `Event`, `Argument`, `Condition`);

-- A small welcome dialog: 3 = visible + modal.
INSERT INTO `Dialog` (`Dialog`, `HCentering`, `VCentering`, `Width`, `Height`, `Attributes`,
                      `Title`, `Control_First`, `Control_Default`, `Control_Cancel`)
  VALUES ('WelcomeDlg', 50, 50, 370, 270, 3, '[ProductName] Setup', 'Next', 'Next', 'Cancel');
INSERT INTO `Control` (`Dialog_`, `Control`, `Type`, `X`, `Y`, `Width`, `Height`, `Attributes`,
                       `Text`, `Control_Next`)
  VALUES ('WelcomeDlg', 'Description', 'Text', 20, 20, 330, 40, 3,
          'Setup will install [ProductName] on your computer.', 'Next');
INSERT INTO `Control` (`Dialog_`, `Control`, `Type`, `X`, `Y`, `Width`, `Height`, `Attributes`,
                       `Text`, `Control_Next`)
  VALUES ('WelcomeDlg', 'Next', 'PushButton', 236, 243, 56, 17, 3, 'Next', 'Cancel');
INSERT INTO `Control` (`Dialog_`, `Control`, `Type`, `X`, `Y`, `Width`, `Height`, `Attributes`,
                       `Text`, `Control_Next`)
  VALUES ('WelcomeDlg', 'Cancel', 'PushButton', 304, 243, 56, 17, 3, 'Cancel', 'Description');

-- Defect: DoAction InstallFoo on the Next button.
INSERT INTO `ControlEvent` (`Dialog_`, `Control_`, `Event`, `Argument`, `Condition`, `Ordering`)
  VALUES ('WelcomeDlg', 'Next', 'DoAction', 'InstallFoo', '1', 1);
INSERT INTO `ControlEvent` (`Dialog_`, `Control_`, `Event`, `Argument`, `Condition`, `Ordering`)
  VALUES ('WelcomeDlg', 'Next', 'EndDialog', 'Return', '1', 2);
INSERT INTO `ControlEvent` (`Dialog_`, `Control_`, `Event`, `Argument`, `Condition`, `Ordering`)
  VALUES ('WelcomeDlg', 'Cancel', 'EndDialog', 'Exit', '1', 1);

-- The dialog is shown before ExecuteAction (1300) on first install.
INSERT INTO InstallUISequence (Action, Condition, Sequence)
  VALUES ('WelcomeDlg', 'NOT Installed', 1230);

-- 3329 = 1 (DLL from Binary) + 0x400 in-script + 0x100 rollback + 0x800 no-impersonate.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('InstallFooRollback', 3329, 'FooCA', 'InstallFooRollback');
-- 3073 = 1 (DLL from Binary) + 0x400 in-script + 0x800 no-impersonate (deferred).
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('InstallFoo', 3073, 'FooCA', 'InstallFoo');

-- Correct: the pair is also scheduled properly after InstallFiles (4000).
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('InstallFooRollback', 'NOT Installed', 4001);
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('InstallFoo', 'NOT Installed', 4002);
