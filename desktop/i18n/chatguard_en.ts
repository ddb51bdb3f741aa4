<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>CaptureOverlay</name>
    <message>
        <source>Select the part of the screen to check</source>
        <translation>Select the part of the screen to check</translation>
    </message>
    <message>
        <source>Drag a box around the chat. Enter: the whole screen. Esc: cancel.</source>
        <translation>Drag a box around the chat. Enter: the whole screen. Esc: cancel.</translation>
    </message>
</context>
<context>
    <name>EngineMissingDialog</name>
    <message>
        <source>Text recognition is not ready</source>
        <translation>Text recognition is not ready</translation>
    </message>
    <message>
        <source>ChatGuard cannot read pictures yet: the text-recognition program (OCR) or its language data is missing on this computer. Chat text can still be checked in the Text tab.</source>
        <translation>ChatGuard cannot read pictures yet: the text-recognition program (OCR) or its language data is missing on this computer. Chat text can still be checked in the Text tab.</translation>
    </message>
    <message>
        <source>How to fix it (you may need someone to help; then restart ChatGuard):</source>
        <translation>How to fix it (you may need someone to help; then restart ChatGuard):</translation>
    </message>
    <message>
        <source>Run “chatguard doctor” for details.</source>
        <translation>Run “chatguard doctor” for details.</translation>
    </message>
    <message>
        <source>Commands that fix it</source>
        <translation>Commands that fix it</translation>
    </message>
    <message>
        <source>Copy the commands</source>
        <translation>Copy the commands</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>Something went wrong</source>
        <translation>Something went wrong</translation>
    </message>
    <message>
        <source>ChatGuard hit an unexpected problem. It is still running and your results are kept. If it happens again, please send the details to the developers (they contain no chat text).</source>
        <translation>ChatGuard hit an unexpected problem. It is still running and your results are kept. If it happens again, please send the details to the developers (they contain no chat text).</translation>
    </message>
    <message>
        <source>Error details</source>
        <translation>Error details</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>Copy details</translation>
    </message>
</context>
<context>
    <name>FindingsPanel</name>
    <message>
        <source>Show lines I marked “not risky”</source>
        <translation>Show lines I marked “not risky”</translation>
    </message>
    <message>
        <source>Flagged messages and what to do</source>
        <translation>Flagged messages and what to do</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>Verdict</translation>
    </message>
    <message>
        <source>No known risk pattern found — this does not prove the chat is safe</source>
        <translation>No known risk pattern found — this does not prove the chat is safe</translation>
    </message>
    <message>
        <source>If someone makes you uneasy or asks for money, photos or personal details, trust that feeling and tell someone you trust.</source>
        <translation>If someone makes you uneasy or asks for money, photos or personal details, trust that feeling and tell someone you trust.</translation>
    </message>
    <message>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <source>%1: this looks like %2</source>
        <translation>%1: this looks like %2</translation>
    </message>
    <message>
        <source>; </source>
        <translation>; </translation>
    </message>
    <message>
        <source>Why this level:</source>
        <translation>Why this level:</translation>
    </message>
    <message>
        <source>Still reading: %1 of %2 done…</source>
        <translation>Still reading: %1 of %2 done…</translation>
    </message>
    <message>
        <source>Reading the screenshots… %1 of %2</source>
        <translation>Reading the screenshots… %1 of %2</translation>
    </message>
    <message>
        <source>Check a chat for scams, threats and blackmail</source>
        <translation>Check a chat for scams, threats and blackmail</translation>
    </message>
    <message>
        <source>The first picture takes a few seconds. You can keep using the window.</source>
        <translation>The first picture takes a few seconds. You can keep using the window.</translation>
    </message>
    <message>
        <source>Add screenshots of the chat: drag them here, use Open…, or paste one. Nothing leaves this computer.</source>
        <translation>Add screenshots of the chat: drag them here, use Open…, or paste one. Nothing leaves this computer.</translation>
    </message>
    <message>
        <source>ChatGuard reads the words in chat screenshots and looks for lines that are typical of sextortion, threats, money demands, fake police and grooming. It tells you which lines, why, and what to do.</source>
        <translation>ChatGuard reads the words in chat screenshots and looks for lines that are typical of sextortion, threats, money demands, fake police and grooming. It tells you which lines, why, and what to do.</translation>
    </message>
    <message>
        <source>All the steps</source>
        <translation>All the steps</translation>
    </message>
    <message>
        <source>First, do this:</source>
        <translation>First, do this:</translation>
    </message>
    <message numerus="yes">
        <source>%n input(s) could not be read; see the list on the left.</source>
        <translation>
            <numerusform>%n input could not be read; see the list on the left.</numerusform>
            <numerusform>%n inputs could not be read; see the list on the left.</numerusform>
        </translation>
    </message>
    <message>
        <source>Flagged messages</source>
        <translation>Flagged messages</translation>
    </message>
    <message numerus="yes">
        <source>Show %n more</source>
        <translation>
            <numerusform>Show %n more line</numerusform>
            <numerusform>Show %n more lines</numerusform>
        </translation>
    </message>
    <message>
        <source>What to do now</source>
        <translation>What to do now</translation>
    </message>
    <message>
        <source>Get help and report</source>
        <translation>Get help and report</translation>
    </message>
    <message>
        <source>No match does not prove a chat is safe. If someone makes you uneasy or asks for money, photos or personal details, trust that feeling and tell someone you trust.</source>
        <translation>No match does not prove a chat is safe. If someone makes you uneasy or asks for money, photos or personal details, trust that feeling and tell someone you trust.</translation>
    </message>
    <message>
        <source>(repeated from an earlier screenshot)</source>
        <translation>(repeated from an earlier screenshot)</translation>
    </message>
    <message>
        <source>(you marked this not risky)</source>
        <translation>(you marked this not risky)</translation>
    </message>
    <message>
        <source>Show in the screenshot</source>
        <translation>Show in the screenshot</translation>
    </message>
    <message>
        <source>Flag it again</source>
        <translation>Flag it again</translation>
    </message>
    <message>
        <source>Not risky</source>
        <translation>Not risky</translation>
    </message>
    <message>
        <source>matched</source>
        <translation>matched</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>critical</source>
        <translation>critical</translation>
    </message>
    <message>
        <source>high</source>
        <translation>high</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>medium</translation>
    </message>
    <message>
        <source>low</source>
        <translation>low</translation>
    </message>
    <message>
        <source>Critical risk</source>
        <translation>Critical risk</translation>
    </message>
    <message>
        <source>High risk</source>
        <translation>High risk</translation>
    </message>
    <message>
        <source>Medium risk</source>
        <translation>Medium risk</translation>
    </message>
    <message>
        <source>Low risk</source>
        <translation>Low risk</translation>
    </message>
    <message>
        <source>No known risk pattern found</source>
        <translation>No known risk pattern found</translation>
    </message>
    <message>
        <source>sextortion (threats with intimate images)</source>
        <translation>sextortion (threats with intimate images)</translation>
    </message>
    <message>
        <source>request for explicit photos</source>
        <translation>request for explicit photos</translation>
    </message>
    <message>
        <source>threat</source>
        <translation>threat</translation>
    </message>
    <message>
        <source>demand for money</source>
        <translation>demand for money</translation>
    </message>
    <message>
        <source>asking for personal information</source>
        <translation>asking for personal information</translation>
    </message>
    <message>
        <source>grooming</source>
        <translation>grooming</translation>
    </message>
    <message>
        <source>pressure to meet</source>
        <translation>pressure to meet</translation>
    </message>
    <message>
        <source>probing your location</source>
        <translation>probing your location</translation>
    </message>
    <message>
        <source>impersonating police, a consulate or an institution</source>
        <translation>impersonating police, a consulate or an institution</translation>
    </message>
    <message>
        <source>investment scam (pig butchering)</source>
        <translation>investment scam (pig butchering)</translation>
    </message>
    <message>
        <source>them</source>
        <translation>them</translation>
    </message>
    <message>
        <source>me</source>
        <translation>me</translation>
    </message>
    <message>
        <source>system</source>
        <translation>system</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unknown</translation>
    </message>
    <message>
        <source>The file does not exist.</source>
        <translation>The file does not exist.</translation>
    </message>
    <message>
        <source>This is not a regular file (a folder or a broken link?).</source>
        <translation>This is not a regular file (a folder or a broken link?).</translation>
    </message>
    <message>
        <source>This file is not an image.</source>
        <translation>This file is not an image.</translation>
    </message>
    <message>
        <source>This image format is not supported; convert it to PNG or JPEG first.</source>
        <translation>This image format is not supported; convert it to PNG or JPEG first.</translation>
    </message>
    <message>
        <source>The image is damaged or incomplete.</source>
        <translation>The image is damaged or incomplete.</translation>
    </message>
    <message>
        <source>The image is too large to read safely.</source>
        <translation>The image is too large to read safely.</translation>
    </message>
    <message>
        <source>Reading this image took too long and was stopped.</source>
        <translation>Reading this image took too long and was stopped.</translation>
    </message>
    <message>
        <source>Text recognition failed on this image.</source>
        <translation>Text recognition failed on this image.</translation>
    </message>
    <message>
        <source>The OCR engine or its language data is missing.</source>
        <translation>The OCR engine or its language data is missing.</translation>
    </message>
    <message>
        <source>This file cannot be read.</source>
        <translation>This file cannot be read.</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>Could not read</source>
        <translation>Could not read</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelled</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>ChatGuard — check a chat for scams and blackmail</source>
        <translation>ChatGuard — check a chat for scams and blackmail</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>&amp;Open screenshots…</source>
        <translation>&amp;Open screenshots…</translation>
    </message>
    <message>
        <source>Choose chat screenshots or a chat text file (Ctrl+O)</source>
        <translation>Choose chat screenshots or a chat text file (Ctrl+O)</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>&amp;Paste</translation>
    </message>
    <message>
        <source>Check a picture or chat text you copied (Ctrl+V)</source>
        <translation>Check a picture or chat text you copied (Ctrl+V)</translation>
    </message>
    <message>
        <source>&amp;Capture screen</source>
        <translation>&amp;Capture screen</translation>
    </message>
    <message>
        <source>Hide this window and select the chat on your screen (Ctrl+Shift+A)</source>
        <translation>Hide this window and select the chat on your screen (Ctrl+Shift+A)</translation>
    </message>
    <message>
        <source>&amp;Export report…</source>
        <translation>&amp;Export report…</translation>
    </message>
    <message>
        <source>Save a report of what was found, to give to the police or someone who helps you (Ctrl+E)</source>
        <translation>Save a report of what was found, to give to the police or someone who helps you (Ctrl+E)</translation>
    </message>
    <message>
        <source>The report is not available in this version</source>
        <translation>The report is not available in this version</translation>
    </message>
    <message>
        <source>Start &amp;over</source>
        <translation>Start &amp;over</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Settings…</translation>
    </message>
    <message>
        <source>&amp;Check text recognition</source>
        <translation>&amp;Check text recognition</translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation>Zoom &amp;in</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>Zoom &amp;out</translation>
    </message>
    <message>
        <source>&amp;Whole picture</source>
        <translation>&amp;Whole picture</translation>
    </message>
    <message>
        <source>Same as the system</source>
        <translation>Same as the system</translation>
    </message>
    <message>
        <source>Screenshots</source>
        <translation>Screenshots</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>Screenshots to check, with their status</source>
        <translation>Screenshots to check, with their status</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Resume</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Stop reading the screenshots that are still waiting</source>
        <translation>Stop reading the screenshots that are still waiting</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Progress</translation>
    </message>
    <message>
        <source>Drop chat screenshots or folders here</source>
        <translation>Drop chat screenshots or folders here</translation>
    </message>
    <message>
        <source>Or choose them, paste a copied picture, or capture the screen. The pictures are read on this computer; nothing is uploaded.</source>
        <translation>Or choose them, paste a copied picture, or capture the screen. The pictures are read on this computer; nothing is uploaded.</translation>
    </message>
    <message>
        <source>Open screenshots…</source>
        <translation>Open screenshots…</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>Paste</translation>
    </message>
    <message>
        <source>Capture screen</source>
        <translation>Capture screen</translation>
    </message>
    <message>
        <source>Try it with an example</source>
        <translation>Try it with an example</translation>
    </message>
    <message>
        <source>Paste the chat&apos;s text here, one message per line. Start a line with “them:” or “me:” (or “对方:” / “我:”) to say who wrote it. A blank line starts another conversation.</source>
        <translation>Paste the chat&apos;s text here, one message per line. Start a line with “them:” or “me:” (or “对方:” / “我:”) to say who wrote it. A blank line starts another conversation.</translation>
    </message>
    <message>
        <source>Chat text</source>
        <translation>Chat text</translation>
    </message>
    <message>
        <source>them: hello
me: hi</source>
        <translation>them: hello
me: hi</translation>
    </message>
    <message>
        <source>Check this text</source>
        <translation>Check this text</translation>
    </message>
    <message>
        <source>Open a text file…</source>
        <translation>Open a text file…</translation>
    </message>
    <message>
        <source>The OCR engine is not installed.</source>
        <translation>The OCR engine is not installed.</translation>
    </message>
    <message>
        <source>Text recognition</source>
        <translation>Text recognition</translation>
    </message>
    <message>
        <source>Text recognition is ready.</source>
        <translation>Text recognition is ready.</translation>
    </message>
    <message>
        <source>Pasted picture %1</source>
        <translation>Pasted picture %1</translation>
    </message>
    <message>
        <source>Choose chat screenshots</source>
        <translation>Choose chat screenshots</translation>
    </message>
    <message>
        <source>Screenshots and chat text (%1)</source>
        <translation>Screenshots and chat text (%1)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>All files (*)</translation>
    </message>
    <message>
        <source>Open a chat text file</source>
        <translation>Open a chat text file</translation>
    </message>
    <message>
        <source>Text files (*.txt)</source>
        <translation>Text files (*.txt)</translation>
    </message>
    <message>
        <source>There is nothing to paste. Copy a screenshot or the chat&apos;s text first.</source>
        <translation>There is nothing to paste. Copy a screenshot or the chat&apos;s text first.</translation>
    </message>
    <message>
        <source>The screen could not be captured. Take a screenshot with your system&apos;s tool and paste it.</source>
        <translation>The screen could not be captured. Take a screenshot with your system&apos;s tool and paste it.</translation>
    </message>
    <message>
        <source>Screen capture %1</source>
        <translation>Screen capture %1</translation>
    </message>
    <message>
        <source>No text found</source>
        <translation>No text found</translation>
    </message>
    <message>
        <source>%1 of %2 read</source>
        <translation>%1 of %2 read</translation>
    </message>
    <message>
        <source>This is chat text: the flagged lines are listed on the right.</source>
        <translation>This is chat text: the flagged lines are listed on the right.</translation>
    </message>
    <message>
        <source>Export report</source>
        <translation>Export report</translation>
    </message>
    <message>
        <source>The report is not available in this version.</source>
        <translation>The report is not available in this version.</translation>
    </message>
    <message>
        <source>Save the report</source>
        <translation>Save the report</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>PDF document (*.pdf)</translation>
    </message>
    <message>
        <source>Web page (*.html)</source>
        <translation>Web page (*.html)</translation>
    </message>
    <message>
        <source>The report could not be saved: %1</source>
        <translation>The report could not be saved: %1</translation>
    </message>
    <message>
        <source>Saved: %1</source>
        <translation>Saved: %1</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Same as the system</source>
        <translation>Same as the system</translation>
    </message>
    <message>
        <source>RapidOCR (recommended)</source>
        <translation>RapidOCR (recommended)</translation>
    </message>
    <message>
        <source>Tesseract</source>
        <translation>Tesseract</translation>
    </message>
    <message>
        <source>Second opinion from the learned model (recommended)</source>
        <translation>Second opinion from the learned model (recommended)</translation>
    </message>
    <message>
        <source>Besides the rules, a model trained on labelled chats also flags lines no rule matched when they read like scam or extortion messages, and sets aside rule matches on lines it reads as clearly ordinary. Switch it off to see the rules alone.</source>
        <translation>Besides the rules, a model trained on labelled chats also flags lines no rule matched when they read like scam or extortion messages, and sets aside rule matches on lines it reads as clearly ordinary. Switch it off to see the rules alone.</translation>
    </message>
    <message>
        <source>&amp;Language of the window:</source>
        <translation>&amp;Language of the window:</translation>
    </message>
    <message>
        <source>&amp;Text recognition:</source>
        <translation>&amp;Text recognition:</translation>
    </message>
    <message>
        <source>Languages in the screenshots:</source>
        <translation>Languages in the screenshots:</translation>
    </message>
    <message>
        <source>Detection:</source>
        <translation>Detection:</translation>
    </message>
    <message>
        <source>Warn me about</source>
        <translation>Warn me about</translation>
    </message>
</context>
<context>
    <name>ShotViewer</name>
    <message>
        <source>(repeated from an earlier screenshot)</source>
        <translation>(repeated from an earlier screenshot)</translation>
    </message>
    <message>
        <source>matched</source>
        <translation>matched</translation>
    </message>
    <message>
        <source>line read, nothing found</source>
        <translation>line read, nothing found</translation>
    </message>
    <message>
        <source>Legend: ‼ critical, ! high, ? medium, · low; a dashed box is a line read with nothing found</source>
        <translation>Legend: ‼ critical, ! high, ? medium, · low; a dashed box is a line read with nothing found</translation>
    </message>
    <message>
        <source>−</source>
        <translation>−</translation>
    </message>
    <message>
        <source>Zoom out (Ctrl+-)</source>
        <translation>Zoom out (Ctrl+-)</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>Zoom out</translation>
    </message>
    <message>
        <source>+</source>
        <translation>+</translation>
    </message>
    <message>
        <source>Zoom in (Ctrl++)</source>
        <translation>Zoom in (Ctrl++)</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>Zoom in</translation>
    </message>
    <message>
        <source>Whole picture</source>
        <translation>Whole picture</translation>
    </message>
    <message>
        <source>Show the whole screenshot (Ctrl+0)</source>
        <translation>Show the whole screenshot (Ctrl+0)</translation>
    </message>
    <message>
        <source>Fit width</source>
        <translation>Fit width</translation>
    </message>
    <message>
        <source>Fit the screenshot&apos;s width to the window</source>
        <translation>Fit the screenshot&apos;s width to the window</translation>
    </message>
    <message>
        <source>Screenshot with the read lines boxed</source>
        <translation>Screenshot with the read lines boxed</translation>
    </message>
    <message>
        <source>Details of the chosen line</source>
        <translation>Details of the chosen line</translation>
    </message>
    <message>
        <source>Point at or click a box to see what was read there and why it was flagged.</source>
        <translation>Point at or click a box to see what was read there and why it was flagged.</translation>
    </message>
</context>
</TS>
