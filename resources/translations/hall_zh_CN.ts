<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Action</name>
    <message>
        <location filename="../../views/labels.py" line="57" />
        <location filename="../../views/labels.py" line="58" />
        <source>Created</source>
        <translation>创建</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="59" />
        <source>Reported</source>
        <translation>上报</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="60" />
        <source>Acknowledged</source>
        <translation>受理</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="61" />
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="62" />
        <source>Dispatched</source>
        <translation>派单</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="63" />
        <source>Escalated</source>
        <translation>升级</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="64" />
        <source>Closed</source>
        <translation>结案</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="65" />
        <source>Reopened</source>
        <translation>重新打开</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="66" />
        <source>Signed for</source>
        <translation>签收</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="67" />
        <source>Arrived on site</source>
        <translation>到达现场</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="68" />
        <source>Resolved</source>
        <translation>处置完成</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="69" />
        <source>Returned</source>
        <translation>退单</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="70" />
        <source>Logged in</source>
        <translation>登录</translation>
    </message>
</context>
<context>
    <name>Connection</name>
    <message>
        <location filename="../../views/labels.py" line="78" />
        <source>Connecting</source>
        <translation>正在连接</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="79" />
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="80" />
        <source>Reconnecting</source>
        <translation>正在重连</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="81" />
        <source>Resyncing</source>
        <translation>正在重新同步</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="82" />
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="83" />
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
</context>
<context>
    <name>DeskWindow</name>
    <message>
        <location filename="../../views/desk_window.py" line="25" />
        <source>Hall Console — %1 (%2)</source>
        <extracomment>Bump when the saved splitter/window layout changes shape, so old state is ignored.</extracomment>
        <translation>城运大厅坐席 — %1（%2）</translation>
    </message>
</context>
<context>
    <name>EventDetailPanel</name>
    <message>
        <location filename="../../views/event_detail.py" line="132" />
        <source>Timeline</source>
        <extracomment>Statuses in which acknowledging makes sense; the backend has the last word (422). How close in time an accepted audit entry must be to a timeline entry to count as the same.</extracomment>
        <translation>处置时间线</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="139" />
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="139" />
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="139" />
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="139" />
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="148" />
        <source>Acknowledge</source>
        <translation>受理</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="151" />
        <source>Dispatch…</source>
        <translation>派单…</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="153" />
        <source>The dispatch dialog comes in a later release.</source>
        <translation>派单对话框将在后续版本提供。</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="156" />
        <source>Write a note for the timeline…</source>
        <translation>填写备注，记入处置时间线…</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="159" />
        <source>Add note</source>
        <translation>添加备注</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="167" />
        <source>Select an event in the queue to see its details.</source>
        <translation>在事件队列中选择一个事件以查看详情。</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="191" />
        <source>Event detail</source>
        <translation>事件详情</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="235" />
        <source>Event id</source>
        <translation>事件编号</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="237" />
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="238" />
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="239" />
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="236" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="247" />
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="240" />
        <source>Street</source>
        <translation>街道</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="241" />
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="242" />
        <source>Coordinates</source>
        <translation>坐标</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="245" />
        <source>Reporter</source>
        <translation>反映人</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="243" />
        <source>Reported</source>
        <translation>上报时间</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="244" />
        <source>Updated</source>
        <translation>更新时间</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="248" />
        <source>SLA deadlines</source>
        <translation>时限</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="249" />
        <source>Assignments</source>
        <translation>派单单位</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="246" />
        <source>Bounces</source>
        <translation>退单次数</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="250" />
        <source>Cameras</source>
        <translation>关联摄像头</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="251" />
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="314" />
        <source>Sign for by %1</source>
        <translation>签收时限 %1</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="317" />
        <source>Resolve by %1</source>
        <translation>办结时限 %1</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="327" />
        <source>lead</source>
        <translation>主办</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="327" />
        <source>assist</source>
        <translation>协办</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="329" />
        <source>sent</source>
        <translation>已派发</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="330" />
        <source>signed for</source>
        <translation>已签收</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="331" />
        <source>returned</source>
        <translation>已退单</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="332" />
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="349" />
        <source>From the audit log</source>
        <translation>来自审计日志</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="394" />
        <source>Acknowledging…</source>
        <translation>正在受理…</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="404" />
        <source>Adding the note…</source>
        <translation>正在添加备注…</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="415" />
        <source>Note added.</source>
        <translation>备注已添加。</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="417" />
        <source>Acknowledged.</source>
        <translation>已受理。</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="434" />
        <source>This command is still being processed; please wait.</source>
        <translation>该指令仍在处理中，请稍候。</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="435" />
        <source>another seat</source>
        <translation>其他坐席</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="439" />
        <source>Already handled by %1: the event is now %2. Nothing was overwritten.</source>
        <translation>已由 %1 处理：事件当前状态为“%2”。未覆盖任何内容。</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="443" />
        <source>Already handled by %1. Nothing was overwritten.</source>
        <translation>已由 %1 处理。未覆盖任何内容。</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="448" />
        <source>The command failed.</source>
        <translation>指令执行失败。</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="450" />
        <source>The backend cannot be reached; the command was not applied.</source>
        <translation>无法连接后台，指令未执行。</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="452" />
        <source>Your role may not do this.</source>
        <translation>您的角色无权执行此操作。</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="454" />
        <source>Not allowed in the event's current status.</source>
        <translation>事件当前状态不允许此操作。</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="455" />
        <source>The command failed: %1</source>
        <translation>指令执行失败：%1</translation>
    </message>
</context>
<context>
    <name>EventQueue</name>
    <message>
        <location filename="../../views/event_queue_model.py" line="177" />
        <source>Level</source>
        <extracomment>Raw, sortable value of a cell (ints, timestamps, seconds). The event id of a row. The catalog colour of the row's level (for SeverityDelegate). One string the filter matches: "<byte value="x1f" />&lt;status&gt;<byte value="x1f" /> &lt;searchable text&gt;".</extracomment>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../../views/event_queue_model.py" line="178" />
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../views/event_queue_model.py" line="179" />
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../../views/event_queue_model.py" line="180" />
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../views/event_queue_model.py" line="181" />
        <source>Street</source>
        <translation>街道</translation>
    </message>
    <message>
        <location filename="../../views/event_queue_model.py" line="182" />
        <source>Reported</source>
        <translation>上报时间</translation>
    </message>
    <message>
        <location filename="../../views/event_queue_model.py" line="183" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../views/event_queue_model.py" line="184" />
        <source>SLA</source>
        <translation>时限</translation>
    </message>
</context>
<context>
    <name>EventQueueView</name>
    <message>
        <location filename="../../views/event_queue.py" line="64" />
        <source>Search title, id, street, address…</source>
        <translation>搜索标题、编号、街道、地址…</translation>
    </message>
    <message>
        <location filename="../../views/event_queue.py" line="74" />
        <source>Open events</source>
        <translation>未结事件</translation>
    </message>
    <message>
        <location filename="../../views/event_queue.py" line="75" />
        <source>All events</source>
        <translation>全部事件</translation>
    </message>
    <message>
        <location filename="../../views/event_queue.py" line="121" />
        <source>Event queue</source>
        <translation>事件队列</translation>
    </message>
    <message>
        <location filename="../../views/event_queue.py" line="176" />
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
</context>
<context>
    <name>HallStatusBar</name>
    <message>
        <location filename="../../views/status_bar.py" line="50" />
        <source>seq %1</source>
        <translation>序号 %1</translation>
    </message>
    <message>
        <location filename="../../views/status_bar.py" line="55" />
        <source>Not signed in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <location filename="../../views/status_bar.py" line="59" />
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <location filename="../../views/status_bar.py" line="63" />
        <source>%1 events</source>
        <translation>%1 个事件</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../views/login_dialog.py" line="48" />
        <source>Hall Console — sign in</source>
        <translation>城运大厅坐席 — 登录</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="59" />
        <source>Liangxi City Operations Centre</source>
        <translation>梁溪区城市运行管理中心</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="61" />
        <source>Server: %1</source>
        <translation>服务器：%1</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="72" />
        <source>Remember password in the system keyring</source>
        <translation>在系统密钥环中记住密码</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="84" />
        <source>The password is never saved to a file; type it at every start.</source>
        <translation>密码绝不会保存到文件中，每次启动时请重新输入。</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="96" />
        <location filename="../../views/login_dialog.py" line="211" />
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="104" />
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="105" />
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="106" />
        <source>Seat</source>
        <translation>坐席</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="197" />
        <source>Wrong user name or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="199" />
        <source>The backend at %1 cannot be reached.</source>
        <translation>无法连接后台 %1。</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="201" />
        <source>Too many attempts; wait a moment and try again.</source>
        <translation>尝试次数过多，请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="203" />
        <source>Sign-in failed: %1</source>
        <translation>登录失败：%1</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="211" />
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
</context>
<context>
    <name>Role</name>
    <message>
        <location filename="../../views/labels.py" line="47" />
        <source>Duty officer</source>
        <translation>值班员</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="48" />
        <source>Shift leader</source>
        <translation>值班长</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="49" />
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
</context>
<context>
    <name>Sla</name>
    <message>
        <location filename="../../views/formatting.py" line="44" />
        <source>Overdue %1 min</source>
        <extracomment>Statuses whose clock is the sign deadline (nobody has signed for the task yet). Statuses whose clock is the resolve deadline.</extracomment>
        <translation>超时 %1分</translation>
    </message>
    <message>
        <location filename="../../views/formatting.py" line="46" />
        <source>Overdue %1 h %2 min</source>
        <translation>超时 %1时%2分</translation>
    </message>
    <message>
        <location filename="../../views/formatting.py" line="54" />
        <source>Sign %1</source>
        <translation>签收 %1</translation>
    </message>
    <message>
        <location filename="../../views/formatting.py" line="55" />
        <source>Resolve %1</source>
        <translation>办结 %1</translation>
    </message>
</context>
<context>
    <name>Source</name>
    <message>
        <location filename="../../views/labels.py" line="33" />
        <source>12345 hotline</source>
        <translation>12345热线</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="34" />
        <source>Grid governance</source>
        <translation>网格化治理</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="35" />
        <source>Digital city management</source>
        <translation>数字城管</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="36" />
        <source>Police Home plan</source>
        <translation>公安家园计划</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="37" />
        <source>IoT sensing</source>
        <translation>物联感知</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="38" />
        <source>Indicator breach</source>
        <translation>数字体征</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="39" />
        <source>Manual entry</source>
        <translation>人工录入</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <location filename="../../views/labels.py" line="17" />
        <source>New</source>
        <translation>新事件</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="18" />
        <source>Acknowledged</source>
        <translation>已受理</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="19" />
        <source>Dispatched</source>
        <translation>已派单</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="20" />
        <source>Signed for</source>
        <translation>已签收</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="21" />
        <source>On site</source>
        <translation>处置中</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="22" />
        <source>Resolved</source>
        <translation>已办结</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="23" />
        <source>Closed</source>
        <translation>已结案</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="24" />
        <source>Returned</source>
        <translation>已退单</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="25" />
        <source>Reopened</source>
        <translation>重新打开</translation>
    </message>
</context>
<context>
    <name>Vault</name>
    <message>
        <location filename="../../views/labels.py" line="102" />
        <source>No keyring service is available on this system.</source>
        <extracomment>Colours of the connection states on the dark theme.</extracomment>
        <translation>本系统没有可用的密钥环服务。</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="104" />
        <source>The keyring is disabled.</source>
        <translation>密钥环已被禁用。</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="105" />
        <source>The keyring stores secrets unencrypted in a file.</source>
        <translation>该密钥环将机密以明文形式保存在文件中。</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="107" />
        <source>The keyring backend is not recommended for secrets.</source>
        <translation>该密钥环后端不适合保存机密。</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="109" />
        <source>The keyring could not be opened.</source>
        <translation>无法打开密钥环。</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="111" />
        <source>The system keyring cannot be used safely here.</source>
        <translation>此处无法安全使用系统密钥环。</translation>
    </message>
</context>
</TS>
