; Mostrador register: Windows installer script (Inno Setup 6).
; Build dist\mostrador\ first (python packaging\build.py), then:
;   iscc /DAppVersion=0.1.0 packaging\windows\mostrador.iss   ->  dist\mostrador-setup-0.1.0.exe
; Silent install for one store machine, provisioned at the end (see packaging\README.md):
;   mostrador-setup-0.1.0.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART ^
;     /BACKEND=https://central.example:8765 /STORE=T01 /REGISTER="Caja 1" /ENROLLMENTCODE=K7P2-9QXM

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{5E0C2A47-8D1B-4C3E-9F6A-1B7D2E4C8A90}
AppName=Mostrador
AppVersion={#AppVersion}
AppPublisher=Mostrador
; Per machine: Program Files, for every user of the machine; needs an administrator.
PrivilegesRequired=admin
DefaultDirName={autopf}\Mostrador
DefaultGroupName=Mostrador
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=mostrador-setup-{#AppVersion}
SetupIconFile=..\..\build\icons\mostrador.ico
UninstallDisplayIcon={app}\mostrador.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "es"; MessagesFile: "compiler:Languages\Spanish.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "..\..\dist\mostrador\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
; The Start menu entry, for all users.
Name: "{group}\Mostrador"; Filename: "{app}\mostrador.exe"; Parameters: "run"; WorkingDir: "{app}"

[Run]
; Enrol the register when the backend, store, register and code are given on the command line.
; runasoriginaluser: the register's token goes to the Credential Manager of the user who ran
; the installer, not to the elevated administrator's.
Filename: "{app}\mostrador-cli.exe"; Parameters: "provision --backend ""{param:BACKEND}"" --store ""{param:STORE}"" --register ""{param:REGISTER}"" --enrollment-code ""{param:ENROLLMENTCODE}"""; Check: ProvisioningRequested; Flags: runhidden waituntilterminated runasoriginaluser; StatusMsg: "Dando de alta la caja..."
Filename: "{app}\mostrador.exe"; Parameters: "run"; Description: "Abrir Mostrador"; Flags: postinstall nowait skipifsilent

[Code]
function ProvisioningRequested: Boolean;
begin
  Result := ExpandConstant('{param:BACKEND|}') <> '';
end;
