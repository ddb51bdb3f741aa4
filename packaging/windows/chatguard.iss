; Inno Setup 6 script for 聊天守护 ChatGuard (Windows x64). Saved as UTF-8 with BOM (Chinese names).
; Built by packaging/windows/build.ps1 after PyInstaller:
;   iscc /DAppVersion=0.1.0 /DSourceDir=..\..\dist\ChatGuard /DOutputDir=..\..\dist packaging\windows\chatguard.iss
; Installs per machine (Program Files) or, if the user picks it or is not an administrator, per
; user (%LOCALAPPDATA%\Programs); nothing is downloaded during installation.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\ChatGuard"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif

[Setup]
; never change AppId: Windows uses it to find the installed copy for upgrades and uninstall
AppId={{6C1F3B9E-5E2A-4E7B-9C1D-2B8A7E4C9F10}
AppName=聊天守护 ChatGuard
AppVersion={#AppVersion}
AppVerName=聊天守护 ChatGuard {#AppVersion}
AppPublisher=ChatGuard developers
VersionInfoVersion={#AppVersion}
VersionInfoProductName=ChatGuard
DefaultDirName={autopf}\ChatGuard
DefaultGroupName=ChatGuard
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=ChatGuard-{#AppVersion}-windows-x64-setup
SetupIconFile=..\icons\chatguard.ico
UninstallDisplayIcon={app}\chatguard-gui.exe
UninstallDisplayName=聊天守护 ChatGuard
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
#if FileExists(CompilerPath + "Languages\ChineseSimplified.isl")
Name: "zh_CN"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#endif
#if FileExists(CompilerPath + "Languages\ChineseTraditional.isl")
Name: "zh_TW"; MessagesFile: "compiler:Languages\ChineseTraditional.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; the whole PyInstaller one-folder bundle: chatguard.exe (command line), chatguard-gui.exe
; (window), _internal\ with Python, Qt, both OCR engines, tessdata, pattern packs and samples
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; an upgrade replaces the bundle wholesale (stale modules from an older version must not load)
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\聊天守护 ChatGuard"; Filename: "{app}\chatguard-gui.exe"; Comment: "Check chat screenshots for blackmail, grooming and scams (offline)"
Name: "{autodesktop}\聊天守护 ChatGuard"; Filename: "{app}\chatguard-gui.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\chatguard-gui.exe"; Description: "{cm:LaunchProgram,ChatGuard}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; only the program folder: the user's settings, own pattern packs and logs under
; %LOCALAPPDATA%\ChatGuard stay (they may hold evidence the user still needs)
Type: filesandordirs; Name: "{app}\_internal"
