<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CaptureOverlay</name>
    <message>
        <source>Select the part of the screen to check</source>
        <translation>选择要检查的屏幕区域</translation>
    </message>
    <message>
        <source>Drag a box around the chat. Enter: the whole screen. Esc: cancel.</source>
        <translation>拖动鼠标框住聊天内容。回车：整个屏幕。Esc：取消。</translation>
    </message>
</context>
<context>
    <name>EngineMissingDialog</name>
    <message>
        <source>Text recognition is not ready</source>
        <translation>文字识别还不能使用</translation>
    </message>
    <message>
        <source>ChatGuard cannot read pictures yet: the text-recognition program (OCR) or its language data is missing on this computer. Chat text can still be checked in the Text tab.</source>
        <translation>聊天守护暂时无法读取图片：这台电脑上缺少文字识别程序（OCR）或它的语言数据。你仍然可以在“文字”标签页检查聊天文字。</translation>
    </message>
    <message>
        <source>How to fix it (you may need someone to help; then restart ChatGuard):</source>
        <translation>解决方法（可能需要请人帮忙；完成后重新打开聊天守护）：</translation>
    </message>
    <message>
        <source>Run “chatguard doctor” for details.</source>
        <translation>运行“chatguard doctor”查看详情。</translation>
    </message>
    <message>
        <source>Commands that fix it</source>
        <translation>解决问题的命令</translation>
    </message>
    <message>
        <source>Copy the commands</source>
        <translation>复制命令</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>Something went wrong</source>
        <translation>出了点问题</translation>
    </message>
    <message>
        <source>ChatGuard hit an unexpected problem. It is still running and your results are kept. If it happens again, please send the details to the developers (they contain no chat text).</source>
        <translation>聊天守护遇到了一个意外问题。程序仍在运行，你的结果都还在。如果再次发生，请把详细信息发给开发者（其中不含聊天内容）。</translation>
    </message>
    <message>
        <source>Error details</source>
        <translation>错误详情</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>复制详细信息</translation>
    </message>
</context>
<context>
    <name>FindingsPanel</name>
    <message>
        <source>Show lines I marked “not risky”</source>
        <translation>显示我标记为“没有风险”的消息</translation>
    </message>
    <message>
        <source>Flagged messages and what to do</source>
        <translation>可疑的消息和应对方法</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>结论</translation>
    </message>
    <message>
        <source>No known risk pattern found — this does not prove the chat is safe</source>
        <translation>未发现已知的风险模式——但这不能证明这段聊天是安全的</translation>
    </message>
    <message>
        <source>If someone makes you uneasy or asks for money, photos or personal details, trust that feeling and tell someone you trust.</source>
        <translation>如果对方让你感到不安、向你要钱、要照片或个人信息，请相信自己的感觉，告诉你信任的人。</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>%1: this looks like %2</source>
        <translation>%1：这看起来像%2</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>Why this level:</source>
        <translation>为什么是这个级别：</translation>
    </message>
    <message>
        <source>Still reading: %1 of %2 done…</source>
        <translation>仍在读取：已完成 %1 / %2…</translation>
    </message>
    <message>
        <source>Reading the screenshots… %1 of %2</source>
        <translation>正在读取截图… %1 / %2</translation>
    </message>
    <message>
        <source>Check a chat for scams, threats and blackmail</source>
        <translation>检查聊天中的诈骗、威胁和勒索</translation>
    </message>
    <message>
        <source>The first picture takes a few seconds. You can keep using the window.</source>
        <translation>第一张图片需要几秒钟。你可以继续使用窗口。</translation>
    </message>
    <message>
        <source>Add screenshots of the chat: drag them here, use Open…, or paste one. Nothing leaves this computer.</source>
        <translation>添加聊天截图：拖到这里、点“打开截图…”或粘贴。所有内容都不会离开这台电脑。</translation>
    </message>
    <message>
        <source>ChatGuard reads the words in chat screenshots and looks for lines that are typical of sextortion, threats, money demands, fake police and grooming. It tells you which lines, why, and what to do.</source>
        <translation>聊天守护会读取聊天截图中的文字，查找性勒索、威胁、索要钱财、冒充警察和诱骗未成年人的典型说法，并告诉你是哪几句、为什么，以及该怎么做。</translation>
    </message>
    <message>
        <source>All the steps</source>
        <translation>全部步骤</translation>
    </message>
    <message>
        <source>First, do this:</source>
        <translation>首先这样做：</translation>
    </message>
    <message numerus="yes">
        <source>%n input(s) could not be read; see the list on the left.</source>
        <translation>
            <numerusform>有 %n 个文件无法读取，请查看左侧列表。</numerusform>
        </translation>
    </message>
    <message>
        <source>Flagged messages</source>
        <translation>可疑的消息</translation>
    </message>
    <message numerus="yes">
        <source>Show %n more</source>
        <translation>
            <numerusform>再显示 %n 条</numerusform>
        </translation>
    </message>
    <message>
        <source>What to do now</source>
        <translation>现在该怎么做</translation>
    </message>
    <message>
        <source>Get help and report</source>
        <translation>求助与举报</translation>
    </message>
    <message>
        <source>No match does not prove a chat is safe. If someone makes you uneasy or asks for money, photos or personal details, trust that feeling and tell someone you trust.</source>
        <translation>没有匹配并不代表这段聊天是安全的。如果对方让你感到不安、向你要钱、要照片或个人信息，请相信自己的感觉，告诉你信任的人。</translation>
    </message>
    <message>
        <source>(repeated from an earlier screenshot)</source>
        <translation>（与前一张截图重复）</translation>
    </message>
    <message>
        <source>(you marked this not risky)</source>
        <translation>（你已标记为没有风险）</translation>
    </message>
    <message>
        <source>Show in the screenshot</source>
        <translation>在截图中显示</translation>
    </message>
    <message>
        <source>Flag it again</source>
        <translation>重新标记为可疑</translation>
    </message>
    <message>
        <source>Not risky</source>
        <translation>没有风险</translation>
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
        <translation>极高</translation>
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
        <translation>极高风险</translation>
    </message>
    <message>
        <source>High risk</source>
        <translation>高风险</translation>
    </message>
    <message>
        <source>Medium risk</source>
        <translation>中等风险</translation>
    </message>
    <message>
        <source>Low risk</source>
        <translation>低风险</translation>
    </message>
    <message>
        <source>No known risk pattern found</source>
        <translation>未发现已知的风险模式</translation>
    </message>
    <message>
        <source>sextortion (threats with intimate images)</source>
        <translation>性勒索（用私密照片威胁）</translation>
    </message>
    <message>
        <source>request for explicit photos</source>
        <translation>索要裸照或色情内容</translation>
    </message>
    <message>
        <source>threat</source>
        <translation>威胁</translation>
    </message>
    <message>
        <source>demand for money</source>
        <translation>索要钱财</translation>
    </message>
    <message>
        <source>asking for personal information</source>
        <translation>套取个人信息</translation>
    </message>
    <message>
        <source>grooming</source>
        <translation>诱骗未成年人（诱导、拉拢）</translation>
    </message>
    <message>
        <source>pressure to meet</source>
        <translation>约你单独见面</translation>
    </message>
    <message>
        <source>probing your location</source>
        <translation>打探你的位置</translation>
    </message>
    <message>
        <source>impersonating police, a consulate or an institution</source>
        <translation>冒充警察、使领馆或机构</translation>
    </message>
    <message>
        <source>investment scam (pig butchering)</source>
        <translation>投资诈骗（杀猪盘）</translation>
    </message>
    <message>
        <source>them</source>
        <translation>对方</translation>
    </message>
    <message>
        <source>me</source>
        <translation>我</translation>
    </message>
    <message>
        <source>system</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>The file does not exist.</source>
        <translation>文件不存在。</translation>
    </message>
    <message>
        <source>This is not a regular file (a folder or a broken link?).</source>
        <translation>这不是一个普通文件（可能是文件夹或失效的链接）。</translation>
    </message>
    <message>
        <source>This file is not an image.</source>
        <translation>这个文件不是图片。</translation>
    </message>
    <message>
        <source>This image format is not supported; convert it to PNG or JPEG first.</source>
        <translation>不支持这种图片格式，请先转换成 PNG 或 JPEG。</translation>
    </message>
    <message>
        <source>The image is damaged or incomplete.</source>
        <translation>图片已损坏或不完整。</translation>
    </message>
    <message>
        <source>The image is too large to read safely.</source>
        <translation>图片太大，无法安全读取。</translation>
    </message>
    <message>
        <source>Reading this image took too long and was stopped.</source>
        <translation>读取这张图片用时太长，已停止。</translation>
    </message>
    <message>
        <source>Text recognition failed on this image.</source>
        <translation>文字识别失败。</translation>
    </message>
    <message>
        <source>The OCR engine or its language data is missing.</source>
        <translation>缺少 OCR 引擎或语言数据。</translation>
    </message>
    <message>
        <source>This file cannot be read.</source>
        <translation>无法读取这个文件。</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Could not read</source>
        <translation>无法读取</translation>
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
        <translation>聊天守护 — 检查聊天中的诈骗和勒索</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>查看(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Open screenshots…</source>
        <translation>打开截图(&amp;O)…</translation>
    </message>
    <message>
        <source>Choose chat screenshots or a chat text file (Ctrl+O)</source>
        <translation>选择聊天截图或聊天文字文件（Ctrl+O）</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>粘贴(&amp;P)</translation>
    </message>
    <message>
        <source>Check a picture or chat text you copied (Ctrl+V)</source>
        <translation>检查你复制的图片或聊天文字（Ctrl+V）</translation>
    </message>
    <message>
        <source>&amp;Capture screen</source>
        <translation>截取屏幕(&amp;C)</translation>
    </message>
    <message>
        <source>Hide this window and select the chat on your screen (Ctrl+Shift+A)</source>
        <translation>隐藏本窗口，在屏幕上框选聊天内容（Ctrl+Shift+A）</translation>
    </message>
    <message>
        <source>&amp;Export report…</source>
        <translation>导出报告(&amp;E)…</translation>
    </message>
    <message>
        <source>Save a report of what was found, to give to the police or someone who helps you (Ctrl+E)</source>
        <translation>保存发现结果的报告，可交给警方或帮助你的人（Ctrl+E）</translation>
    </message>
    <message>
        <source>The report is not available in this version</source>
        <translation>此版本还不能导出报告</translation>
    </message>
    <message>
        <source>Start &amp;over</source>
        <translation>重新开始(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Check text recognition</source>
        <translation>检查文字识别(&amp;C)</translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Whole picture</source>
        <translation>整张图片(&amp;W)</translation>
    </message>
    <message>
        <source>Same as the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Screenshots</source>
        <translation>截图</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文字</translation>
    </message>
    <message>
        <source>Screenshots to check, with their status</source>
        <translation>要检查的截图及其状态</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop reading the screenshots that are still waiting</source>
        <translation>停止读取还在等待的截图</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Drop chat screenshots or folders here</source>
        <translation>把聊天截图或文件夹拖到这里</translation>
    </message>
    <message>
        <source>Or choose them, paste a copied picture, or capture the screen. The pictures are read on this computer; nothing is uploaded.</source>
        <translation>也可以选择文件、粘贴复制的图片或截取屏幕。图片只在这台电脑上读取，不会上传。</translation>
    </message>
    <message>
        <source>Open screenshots…</source>
        <translation>打开截图…</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>粘贴</translation>
    </message>
    <message>
        <source>Capture screen</source>
        <translation>截取屏幕</translation>
    </message>
    <message>
        <source>Try it with an example</source>
        <translation>用示例试一试</translation>
    </message>
    <message>
        <source>Paste the chat&apos;s text here, one message per line. Start a line with “them:” or “me:” (or “对方:” / “我:”) to say who wrote it. A blank line starts another conversation.</source>
        <translation>把聊天文字粘贴到这里，每行一条消息。行首写“对方:”或“我:”（也可以写 them: / me:）表示是谁说的。空一行表示另一段对话。</translation>
    </message>
    <message>
        <source>Chat text</source>
        <translation>聊天文字</translation>
    </message>
    <message>
        <source>them: hello
me: hi</source>
        <translation>对方: 你好
我: 你好</translation>
    </message>
    <message>
        <source>Check this text</source>
        <translation>检查这段文字</translation>
    </message>
    <message>
        <source>Open a text file…</source>
        <translation>打开文字文件…</translation>
    </message>
    <message>
        <source>The OCR engine is not installed.</source>
        <translation>没有安装 OCR 文字识别引擎。</translation>
    </message>
    <message>
        <source>Text recognition</source>
        <translation>文字识别</translation>
    </message>
    <message>
        <source>Text recognition is ready.</source>
        <translation>文字识别可以使用。</translation>
    </message>
    <message>
        <source>Pasted picture %1</source>
        <translation>粘贴的图片 %1</translation>
    </message>
    <message>
        <source>Choose chat screenshots</source>
        <translation>选择聊天截图</translation>
    </message>
    <message>
        <source>Screenshots and chat text (%1)</source>
        <translation>截图和聊天文字（%1）</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>Open a chat text file</source>
        <translation>打开聊天文字文件</translation>
    </message>
    <message>
        <source>Text files (*.txt)</source>
        <translation>文字文件 (*.txt)</translation>
    </message>
    <message>
        <source>There is nothing to paste. Copy a screenshot or the chat&apos;s text first.</source>
        <translation>没有可粘贴的内容。请先复制截图或聊天文字。</translation>
    </message>
    <message>
        <source>The screen could not be captured. Take a screenshot with your system&apos;s tool and paste it.</source>
        <translation>无法截取屏幕。请用系统自带的截图工具截图，然后粘贴。</translation>
    </message>
    <message>
        <source>Screen capture %1</source>
        <translation>屏幕截图 %1</translation>
    </message>
    <message>
        <source>No text found</source>
        <translation>没有读到文字</translation>
    </message>
    <message>
        <source>%1 of %2 read</source>
        <translation>已读取 %1 / %2</translation>
    </message>
    <message>
        <source>This is chat text: the flagged lines are listed on the right.</source>
        <translation>这是聊天文字：可疑的消息列在右侧。</translation>
    </message>
    <message>
        <source>Export report</source>
        <translation>导出报告</translation>
    </message>
    <message>
        <source>The report is not available in this version.</source>
        <translation>此版本还不能导出报告。</translation>
    </message>
    <message>
        <source>Save the report</source>
        <translation>保存报告</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <source>Web page (*.html)</source>
        <translation>网页 (*.html)</translation>
    </message>
    <message>
        <source>The report could not be saved: %1</source>
        <translation>无法保存报告：%1</translation>
    </message>
    <message>
        <source>Saved: %1</source>
        <translation>已保存：%1</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Same as the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>RapidOCR (recommended)</source>
        <translation>RapidOCR（推荐）</translation>
    </message>
    <message>
        <source>Tesseract</source>
        <translation>Tesseract</translation>
    </message>
    <message>
        <source>Second opinion from the learned model (recommended)</source>
        <translation>启用学习模型的第二意见（推荐）</translation>
    </message>
    <message>
        <source>Besides the rules, a model trained on labelled chats also flags lines no rule matched when they read like scam or extortion messages, and sets aside rule matches on lines it reads as clearly ordinary. Switch it off to see the rules alone.</source>
        <translation>除了规则之外，一个用标注过的聊天训练的模型也会标出规则没有命中、但读起来像诈骗或勒索的消息，并撤下它认为明显是日常聊天的规则命中。关掉它就只看规则的结果。</translation>
    </message>
    <message>
        <source>&amp;Language of the window:</source>
        <translation>界面语言(&amp;L)：</translation>
    </message>
    <message>
        <source>&amp;Text recognition:</source>
        <translation>文字识别(&amp;T)：</translation>
    </message>
    <message>
        <source>Languages in the screenshots:</source>
        <translation>截图中的语言：</translation>
    </message>
    <message>
        <source>Detection:</source>
        <translation>识别：</translation>
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
        <translation>（与前一张截图重复）</translation>
    </message>
    <message>
        <source>matched</source>
        <translation>匹配</translation>
    </message>
    <message>
        <source>line read, nothing found</source>
        <translation>已读取的文字，未发现问题</translation>
    </message>
    <message>
        <source>Legend: ‼ critical, ! high, ? medium, · low; a dashed box is a line read with nothing found</source>
        <translation>图例：‼ 极高，! 高，? 中，· 低；虚线框是已读取但没有问题的文字</translation>
    </message>
    <message>
        <source>−</source>
        <translation>−</translation>
    </message>
    <message>
        <source>Zoom out (Ctrl+-)</source>
        <translation>缩小（Ctrl+-）</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>缩小</translation>
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
        <translation>整张图片</translation>
    </message>
    <message>
        <source>Show the whole screenshot (Ctrl+0)</source>
        <translation>显示整张截图（Ctrl+0）</translation>
    </message>
    <message>
        <source>Fit width</source>
        <translation>适合宽度</translation>
    </message>
    <message>
        <source>Fit the screenshot&apos;s width to the window</source>
        <translation>让截图宽度适合窗口</translation>
    </message>
    <message>
        <source>Screenshot with the read lines boxed</source>
        <translation>截图，已读取的文字用方框标出</translation>
    </message>
    <message>
        <source>Details of the chosen line</source>
        <translation>所选文字的详情</translation>
    </message>
    <message>
        <source>Point at or click a box to see what was read there and why it was flagged.</source>
        <translation>把鼠标指向或点击方框，查看读到的文字以及被标记的原因。</translation>
    </message>
</context>
</TS>
