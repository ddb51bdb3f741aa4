<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_TW">
<context>
    <name>CaptureOverlay</name>
    <message>
        <source>Select the part of the screen to check</source>
        <translation>選擇要檢查的螢幕區域</translation>
    </message>
    <message>
        <source>Drag a box around the chat. Enter: the whole screen. Esc: cancel.</source>
        <translation>拖曳滑鼠框住聊天內容。按 Enter：整個螢幕。按 Esc：取消。</translation>
    </message>
</context>
<context>
    <name>EngineMissingDialog</name>
    <message>
        <source>Text recognition is not ready</source>
        <translation>文字識別還不能使用</translation>
    </message>
    <message>
        <source>ChatGuard cannot read pictures yet: the text-recognition program (OCR) or its language data is missing on this computer. Chat text can still be checked in the Text tab.</source>
        <translation>聊天守護暫時無法讀取圖片：這臺電腦上缺少文字識別程式（OCR）或它的語言資料。你仍然可以在“文字”標籤頁檢查聊天文字。</translation>
    </message>
    <message>
        <source>How to fix it (you may need someone to help; then restart ChatGuard):</source>
        <translation>解決方法（可能需要請人幫忙；完成後重新開啟聊天守護）：</translation>
    </message>
    <message>
        <source>Run “chatguard doctor” for details.</source>
        <translation>執行“chatguard doctor”檢視詳情。</translation>
    </message>
    <message>
        <source>Commands that fix it</source>
        <translation>解決問題的命令</translation>
    </message>
    <message>
        <source>Copy the commands</source>
        <translation>複製命令</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>Something went wrong</source>
        <translation>出了點問題</translation>
    </message>
    <message>
        <source>ChatGuard hit an unexpected problem. It is still running and your results are kept. If it happens again, please send the details to the developers (they contain no chat text).</source>
        <translation>聊天守護遇到了一個意外問題。程式仍在執行，你的結果都還在。如果再次發生，請把詳細資訊發給開發者（其中不含聊天內容）。</translation>
    </message>
    <message>
        <source>Error details</source>
        <translation>錯誤詳情</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>複製詳細資訊</translation>
    </message>
</context>
<context>
    <name>FindingsPanel</name>
    <message>
        <source>Show lines I marked “not risky”</source>
        <translation>顯示我標記為“沒有風險”的訊息</translation>
    </message>
    <message>
        <source>Flagged messages and what to do</source>
        <translation>可疑的訊息和應對方法</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>結論</translation>
    </message>
    <message>
        <source>No known risk pattern found — this does not prove the chat is safe</source>
        <translation>未發現已知的風險模式——但這不能證明這段聊天是安全的</translation>
    </message>
    <message>
        <source>If someone makes you uneasy or asks for money, photos or personal details, trust that feeling and tell someone you trust.</source>
        <translation>如果對方讓你感到不安、向你要錢、要照片或個人資訊，請相信自己的感覺，告訴你信任的人。</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>%1: this looks like %2</source>
        <translation>%1：這看起來像%2</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>Why this level:</source>
        <translation>為什麼是這個級別：</translation>
    </message>
    <message>
        <source>Still reading: %1 of %2 done…</source>
        <translation>仍在讀取：已完成 %1 / %2…</translation>
    </message>
    <message>
        <source>Reading the screenshots… %1 of %2</source>
        <translation>正在讀取截圖… %1 / %2</translation>
    </message>
    <message>
        <source>Check a chat for scams, threats and blackmail</source>
        <translation>檢查聊天中的詐騙、威脅和勒索</translation>
    </message>
    <message>
        <source>The first picture takes a few seconds. You can keep using the window.</source>
        <translation>第一張圖片需要幾秒鐘。你可以繼續使用視窗。</translation>
    </message>
    <message>
        <source>Add screenshots of the chat: drag them here, use Open…, or paste one. Nothing leaves this computer.</source>
        <translation>新增聊天截圖：拖到這裡、點“開啟截圖…”或貼上。所有內容都不會離開這臺電腦。</translation>
    </message>
    <message>
        <source>ChatGuard reads the words in chat screenshots and looks for lines that are typical of sextortion, threats, money demands, fake police and grooming. It tells you which lines, why, and what to do.</source>
        <translation>聊天守護會讀取聊天截圖中的文字，查詢性勒索、威脅、索要錢財、冒充警察和誘騙未成年人的典型說法，並告訴你是哪幾句、為什麼，以及該怎麼做。</translation>
    </message>
    <message>
        <source>All the steps</source>
        <translation>全部步驟</translation>
    </message>
    <message>
        <source>First, do this:</source>
        <translation>首先這樣做：</translation>
    </message>
    <message numerus="yes">
        <source>%n input(s) could not be read; see the list on the left.</source>
        <translation>
            <numerusform>有 %n 個檔案無法讀取，請檢視左側列表。</numerusform>
        </translation>
    </message>
    <message>
        <source>Flagged messages</source>
        <translation>可疑的訊息</translation>
    </message>
    <message numerus="yes">
        <source>Show %n more</source>
        <translation>
            <numerusform>再顯示 %n 條</numerusform>
        </translation>
    </message>
    <message>
        <source>What to do now</source>
        <translation>現在該怎麼做</translation>
    </message>
    <message>
        <source>Get help and report</source>
        <translation>求助與舉報</translation>
    </message>
    <message>
        <source>No match does not prove a chat is safe. If someone makes you uneasy or asks for money, photos or personal details, trust that feeling and tell someone you trust.</source>
        <translation>沒有匹配並不代表這段聊天是安全的。如果對方讓你感到不安、向你要錢、要照片或個人資料，請相信自己的感覺，告訴你信任的人。</translation>
    </message>
    <message>
        <source>(repeated from an earlier screenshot)</source>
        <translation>（與前一張截圖重複）</translation>
    </message>
    <message>
        <source>(you marked this not risky)</source>
        <translation>（你已標記為沒有風險）</translation>
    </message>
    <message>
        <source>Show in the screenshot</source>
        <translation>在截圖中顯示</translation>
    </message>
    <message>
        <source>Flag it again</source>
        <translation>重新標記為可疑</translation>
    </message>
    <message>
        <source>Not risky</source>
        <translation>沒有風險</translation>
    </message>
    <message>
        <source>matched</source>
        <translation>匹配</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>critical</source>
        <translation>極高</translation>
    </message>
    <message>
        <source>high</source>
        <translation>高</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>中</translation>
    </message>
    <message>
        <source>low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>Critical risk</source>
        <translation>極高風險</translation>
    </message>
    <message>
        <source>High risk</source>
        <translation>高風險</translation>
    </message>
    <message>
        <source>Medium risk</source>
        <translation>中等風險</translation>
    </message>
    <message>
        <source>Low risk</source>
        <translation>低風險</translation>
    </message>
    <message>
        <source>No known risk pattern found</source>
        <translation>未發現已知的風險模式</translation>
    </message>
    <message>
        <source>sextortion (threats with intimate images)</source>
        <translation>性勒索（用私密照片威脅）</translation>
    </message>
    <message>
        <source>request for explicit photos</source>
        <translation>索要裸照或色情內容</translation>
    </message>
    <message>
        <source>threat</source>
        <translation>威脅</translation>
    </message>
    <message>
        <source>demand for money</source>
        <translation>索要錢財</translation>
    </message>
    <message>
        <source>asking for personal information</source>
        <translation>套取個人資料</translation>
    </message>
    <message>
        <source>grooming</source>
        <translation>誘騙未成年人（誘導、拉攏）</translation>
    </message>
    <message>
        <source>pressure to meet</source>
        <translation>約你單獨見面</translation>
    </message>
    <message>
        <source>probing your location</source>
        <translation>打探你的位置</translation>
    </message>
    <message>
        <source>impersonating police, a consulate or an institution</source>
        <translation>冒充警察、使領館或機構</translation>
    </message>
    <message>
        <source>investment scam (pig butchering)</source>
        <translation>投資詐騙（殺豬盤）</translation>
    </message>
    <message>
        <source>them</source>
        <translation>對方</translation>
    </message>
    <message>
        <source>me</source>
        <translation>我</translation>
    </message>
    <message>
        <source>system</source>
        <translation>系統</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>The file does not exist.</source>
        <translation>檔案不存在。</translation>
    </message>
    <message>
        <source>This is not a regular file (a folder or a broken link?).</source>
        <translation>這不是一個普通檔案（可能是資料夾或失效的連結）。</translation>
    </message>
    <message>
        <source>This file is not an image.</source>
        <translation>這個檔案不是圖片。</translation>
    </message>
    <message>
        <source>This image format is not supported; convert it to PNG or JPEG first.</source>
        <translation>不支援這種圖片格式，請先轉換成 PNG 或 JPEG。</translation>
    </message>
    <message>
        <source>The image is damaged or incomplete.</source>
        <translation>圖片已損壞或不完整。</translation>
    </message>
    <message>
        <source>The image is too large to read safely.</source>
        <translation>圖片太大，無法安全讀取。</translation>
    </message>
    <message>
        <source>Reading this image took too long and was stopped.</source>
        <translation>讀取這張圖片用時太長，已停止。</translation>
    </message>
    <message>
        <source>Text recognition failed on this image.</source>
        <translation>文字辨識失敗。</translation>
    </message>
    <message>
        <source>The OCR engine or its language data is missing.</source>
        <translation>缺少 OCR 引擎或語言資料。</translation>
    </message>
    <message>
        <source>This file cannot be read.</source>
        <translation>無法讀取這個檔案。</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>正在讀取…</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Could not read</source>
        <translation>無法讀取</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>ChatGuard — check a chat for scams and blackmail</source>
        <translation>聊天守護 — 檢查聊天中的詐騙和勒索</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>檔案(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>檢視(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>語言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>說明(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Open screenshots…</source>
        <translation>開啟截圖(&amp;O)…</translation>
    </message>
    <message>
        <source>Choose chat screenshots or a chat text file (Ctrl+O)</source>
        <translation>選擇聊天截圖或聊天文字檔案（Ctrl+O）</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>貼上(&amp;P)</translation>
    </message>
    <message>
        <source>Check a picture or chat text you copied (Ctrl+V)</source>
        <translation>檢查你複製的圖片或聊天文字（Ctrl+V）</translation>
    </message>
    <message>
        <source>&amp;Capture screen</source>
        <translation>擷取螢幕(&amp;C)</translation>
    </message>
    <message>
        <source>Hide this window and select the chat on your screen (Ctrl+Shift+A)</source>
        <translation>隱藏本視窗，在螢幕上框選聊天內容（Ctrl+Shift+A）</translation>
    </message>
    <message>
        <source>&amp;Export report…</source>
        <translation>匯出報告(&amp;E)…</translation>
    </message>
    <message>
        <source>Save a report of what was found, to give to the police or someone who helps you (Ctrl+E)</source>
        <translation>儲存發現結果的報告，可交給警方或幫助你的人（Ctrl+E）</translation>
    </message>
    <message>
        <source>The report is not available in this version</source>
        <translation>此版本還不能匯出報告</translation>
    </message>
    <message>
        <source>Start &amp;over</source>
        <translation>重新開始(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>設定(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Check text recognition</source>
        <translation>檢查文字識別(&amp;C)</translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>縮小(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Whole picture</source>
        <translation>整張圖片(&amp;W)</translation>
    </message>
    <message>
        <source>Same as the system</source>
        <translation>跟隨系統</translation>
    </message>
    <message>
        <source>Screenshots</source>
        <translation>截圖</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文字</translation>
    </message>
    <message>
        <source>Screenshots to check, with their status</source>
        <translation>要檢查的截圖及其狀態</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>繼續</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暫停</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop reading the screenshots that are still waiting</source>
        <translation>停止讀取還在等待的截圖</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>進度</translation>
    </message>
    <message>
        <source>Drop chat screenshots or folders here</source>
        <translation>把聊天截圖或資料夾拖到這裡</translation>
    </message>
    <message>
        <source>Or choose them, paste a copied picture, or capture the screen. The pictures are read on this computer; nothing is uploaded.</source>
        <translation>也可以選擇檔案、貼上複製的圖片或擷取螢幕。圖片只在這臺電腦上讀取，不會上傳。</translation>
    </message>
    <message>
        <source>Open screenshots…</source>
        <translation>開啟截圖…</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>貼上</translation>
    </message>
    <message>
        <source>Capture screen</source>
        <translation>擷取螢幕</translation>
    </message>
    <message>
        <source>Try it with an example</source>
        <translation>用示例試一試</translation>
    </message>
    <message>
        <source>Paste the chat&apos;s text here, one message per line. Start a line with “them:” or “me:” (or “对方:” / “我:”) to say who wrote it. A blank line starts another conversation.</source>
        <translation>把聊天文字貼上到這裡，每行一條訊息。行首寫“對方:”或“我:”（也可以寫 them: / me:）表示是誰說的。空一行表示另一段對話。</translation>
    </message>
    <message>
        <source>Chat text</source>
        <translation>聊天文字</translation>
    </message>
    <message>
        <source>them: hello
me: hi</source>
        <translation>對方: 你好
我: 你好</translation>
    </message>
    <message>
        <source>Check this text</source>
        <translation>檢查這段文字</translation>
    </message>
    <message>
        <source>Open a text file…</source>
        <translation>開啟文字檔案…</translation>
    </message>
    <message>
        <source>The OCR engine is not installed.</source>
        <translation>沒有安裝 OCR 文字識別引擎。</translation>
    </message>
    <message>
        <source>Text recognition</source>
        <translation>文字識別</translation>
    </message>
    <message>
        <source>Text recognition is ready.</source>
        <translation>文字識別可以使用。</translation>
    </message>
    <message>
        <source>Pasted picture %1</source>
        <translation>貼上的圖片 %1</translation>
    </message>
    <message>
        <source>Choose chat screenshots</source>
        <translation>選擇聊天截圖</translation>
    </message>
    <message>
        <source>Screenshots and chat text (%1)</source>
        <translation>截圖和聊天文字（%1）</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有檔案 (*)</translation>
    </message>
    <message>
        <source>Open a chat text file</source>
        <translation>開啟聊天文字檔案</translation>
    </message>
    <message>
        <source>Text files (*.txt)</source>
        <translation>文字檔案 (*.txt)</translation>
    </message>
    <message>
        <source>There is nothing to paste. Copy a screenshot or the chat&apos;s text first.</source>
        <translation>沒有可貼上的內容。請先複製截圖或聊天文字。</translation>
    </message>
    <message>
        <source>The screen could not be captured. Take a screenshot with your system&apos;s tool and paste it.</source>
        <translation>無法擷取螢幕。請用系統自帶的截圖工具截圖，然後貼上。</translation>
    </message>
    <message>
        <source>Screen capture %1</source>
        <translation>螢幕截圖 %1</translation>
    </message>
    <message>
        <source>No text found</source>
        <translation>沒有讀到文字</translation>
    </message>
    <message>
        <source>%1 of %2 read</source>
        <translation>已讀取 %1 / %2</translation>
    </message>
    <message>
        <source>This is chat text: the flagged lines are listed on the right.</source>
        <translation>這是聊天文字：可疑的訊息列在右側。</translation>
    </message>
    <message>
        <source>Export report</source>
        <translation>匯出報告</translation>
    </message>
    <message>
        <source>The report is not available in this version.</source>
        <translation>此版本還不能匯出報告。</translation>
    </message>
    <message>
        <source>Save the report</source>
        <translation>儲存報告</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Web page (*.html)</source>
        <translation>網頁 (*.html)</translation>
    </message>
    <message>
        <source>The report could not be saved: %1</source>
        <translation>無法儲存報告：%1</translation>
    </message>
    <message>
        <source>Saved: %1</source>
        <translation>已儲存：%1</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <source>Same as the system</source>
        <translation>跟隨系統</translation>
    </message>
    <message>
        <source>RapidOCR (recommended)</source>
        <translation>RapidOCR（推薦）</translation>
    </message>
    <message>
        <source>Tesseract</source>
        <translation>Tesseract</translation>
    </message>
    <message>
        <source>Second opinion from the learned model (recommended)</source>
        <translation>啟用學習模型的第二意見（推薦）</translation>
    </message>
    <message>
        <source>Besides the rules, a model trained on labelled chats also flags lines no rule matched when they read like scam or extortion messages, and sets aside rule matches on lines it reads as clearly ordinary. Switch it off to see the rules alone.</source>
        <translation>除了規則之外，一個用標註過的聊天訓練的模型也會標出規則沒有命中、但讀起來像詐騙或勒索的訊息，並撤下它認為明顯是日常聊天的規則命中。關掉它就只看規則的結果。</translation>
    </message>
    <message>
        <source>&amp;Language of the window:</source>
        <translation>介面語言(&amp;L)：</translation>
    </message>
    <message>
        <source>&amp;Text recognition:</source>
        <translation>文字識別(&amp;T)：</translation>
    </message>
    <message>
        <source>Languages in the screenshots:</source>
        <translation>截圖中的語言：</translation>
    </message>
    <message>
        <source>Detection:</source>
        <translation>辨識：</translation>
    </message>
    <message>
        <source>Warn me about</source>
        <translation>提醒我注意</translation>
    </message>
</context>
<context>
    <name>ShotViewer</name>
    <message>
        <source>(repeated from an earlier screenshot)</source>
        <translation>（與前一張截圖重複）</translation>
    </message>
    <message>
        <source>matched</source>
        <translation>匹配</translation>
    </message>
    <message>
        <source>line read, nothing found</source>
        <translation>已讀取的文字，未發現問題</translation>
    </message>
    <message>
        <source>Legend: ‼ critical, ! high, ? medium, · low; a dashed box is a line read with nothing found</source>
        <translation>圖例：‼ 極高，! 高，? 中，· 低；虛線框是已讀取但沒有問題的文字</translation>
    </message>
    <message>
        <source>−</source>
        <translation>−</translation>
    </message>
    <message>
        <source>Zoom out (Ctrl+-)</source>
        <translation>縮小（Ctrl+-）</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>縮小</translation>
    </message>
    <message>
        <source>+</source>
        <translation>+</translation>
    </message>
    <message>
        <source>Zoom in (Ctrl++)</source>
        <translation>放大（Ctrl++）</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Whole picture</source>
        <translation>整張圖片</translation>
    </message>
    <message>
        <source>Show the whole screenshot (Ctrl+0)</source>
        <translation>顯示整張截圖（Ctrl+0）</translation>
    </message>
    <message>
        <source>Fit width</source>
        <translation>適合寬度</translation>
    </message>
    <message>
        <source>Fit the screenshot&apos;s width to the window</source>
        <translation>讓截圖寬度適合視窗</translation>
    </message>
    <message>
        <source>Screenshot with the read lines boxed</source>
        <translation>截圖，已讀取的文字用方框標出</translation>
    </message>
    <message>
        <source>Details of the chosen line</source>
        <translation>所選文字的詳情</translation>
    </message>
    <message>
        <source>Point at or click a box to see what was read there and why it was flagged.</source>
        <translation>把滑鼠指向或點選方框，檢視讀到的文字以及被標記的原因。</translation>
    </message>
</context>
</TS>
