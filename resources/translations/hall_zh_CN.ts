<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Action</name>
    <message>
        <location filename="../../views/labels.py" line="57"/>
        <location filename="../../views/labels.py" line="58"/>
        <source>Created</source>
        <translation>创建</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="59"/>
        <source>Reported</source>
        <translation>上报</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="60"/>
        <source>Acknowledged</source>
        <translation>受理</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="61"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="62"/>
        <source>Dispatched</source>
        <translation>派单</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="63"/>
        <source>Escalated</source>
        <translation>升级</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="64"/>
        <source>Closed</source>
        <translation>结案</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="65"/>
        <source>Reopened</source>
        <translation>重新打开</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="66"/>
        <source>Signed for</source>
        <translation>签收</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="67"/>
        <source>Arrived on site</source>
        <translation>到达现场</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="68"/>
        <source>Resolved</source>
        <translation>处置完成</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="69"/>
        <source>Returned</source>
        <translation>退单</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="70"/>
        <source>Logged in</source>
        <translation>登录</translation>
    </message>
</context>
<context>
    <name>Connection</name>
    <message>
        <location filename="../../views/labels.py" line="78"/>
        <source>Connecting</source>
        <translation>正在连接</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="79"/>
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="80"/>
        <source>Reconnecting</source>
        <translation>正在重连</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="81"/>
        <source>Resyncing</source>
        <translation>正在重新同步</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="82"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="83"/>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
</context>
<context>
    <name>DeskWindow</name>
    <message>
        <location filename="../../views/desk_window.py" line="25"/>
        <source>Hall Console — %1 (%2)</source>
        <extracomment>Bump when the saved splitter/window layout changes shape, so old state is ignored.</extracomment>
        <translation>城运大厅坐席 — %1（%2）</translation>
    </message>
</context>
<context>
    <name>EventDetailPanel</name>
    <message>
        <location filename="../../views/event_detail.py" line="134"/>
        <source>Timeline</source>
        <extracomment>How close in time an accepted audit entry must be to a timeline entry to count as the same.</extracomment>
        <translation>处置时间线</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="141"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="141"/>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="141"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="141"/>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="150"/>
        <source>Acknowledge</source>
        <translation>受理</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="155"/>
        <source>Write a note for the timeline…</source>
        <translation>填写备注，记入处置时间线…</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="158"/>
        <source>Add note</source>
        <translation>添加备注</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="166"/>
        <source>Select an event in the queue to see its details.</source>
        <translation>在事件队列中选择一个事件以查看详情。</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="189"/>
        <source>Event detail</source>
        <translation>事件详情</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="232"/>
        <source>Event id</source>
        <translation>事件编号</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="234"/>
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="235"/>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="236"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="233"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="244"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="237"/>
        <source>Street</source>
        <translation>街道</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="238"/>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="239"/>
        <source>Coordinates</source>
        <translation>坐标</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="242"/>
        <source>Reporter</source>
        <translation>反映人</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="240"/>
        <source>Reported</source>
        <translation>上报时间</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="241"/>
        <source>Updated</source>
        <translation>更新时间</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="245"/>
        <source>SLA deadlines</source>
        <translation>时限</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="246"/>
        <source>Assignments</source>
        <translation>派单单位</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="243"/>
        <source>Bounces</source>
        <translation>退单次数</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="247"/>
        <source>Cameras</source>
        <translation>关联摄像头</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="248"/>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="311"/>
        <source>Sign for by %1</source>
        <translation>签收时限 %1</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="314"/>
        <source>Resolve by %1</source>
        <translation>办结时限 %1</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="324"/>
        <source>lead</source>
        <translation>主办</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="324"/>
        <source>assist</source>
        <translation>协办</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="326"/>
        <source>sent</source>
        <translation>已派发</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="327"/>
        <source>signed for</source>
        <translation>已签收</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="328"/>
        <source>returned</source>
        <translation>已退单</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="329"/>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="346"/>
        <source>From the audit log</source>
        <translation>来自审计日志</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="392"/>
        <source>Acknowledging…</source>
        <translation>正在受理…</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="402"/>
        <source>Adding the note…</source>
        <translation>正在添加备注…</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="413"/>
        <source>Note added.</source>
        <translation>备注已添加。</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="415"/>
        <source>Acknowledged.</source>
        <translation>已受理。</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="432"/>
        <source>This command is still being processed; please wait.</source>
        <translation>该指令仍在处理中，请稍候。</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="433"/>
        <source>another seat</source>
        <translation>其他坐席</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="437"/>
        <source>Already handled by %1: the event is now %2. Nothing was overwritten.</source>
        <translation>已由 %1 处理：事件当前状态为“%2”。未覆盖任何内容。</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="441"/>
        <source>Already handled by %1. Nothing was overwritten.</source>
        <translation>已由 %1 处理。未覆盖任何内容。</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="446"/>
        <source>The command failed.</source>
        <translation>指令执行失败。</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="448"/>
        <source>The backend cannot be reached; the command was not applied.</source>
        <translation>无法连接后台，指令未执行。</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="450"/>
        <source>Your role may not do this.</source>
        <translation>您的角色无权执行此操作。</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="452"/>
        <source>Not allowed in the event&apos;s current status.</source>
        <translation>事件当前状态不允许此操作。</translation>
    </message>
    <message>
        <location filename="../../views/event_detail.py" line="453"/>
        <source>The command failed: %1</source>
        <translation>指令执行失败：%1</translation>
    </message>
</context>
<context>
    <name>EventQueue</name>
    <message>
        <location filename="../../views/event_queue_model.py" line="191"/>
        <source>Level</source>
        <extracomment>The event id of a row. The catalog colour of the row&apos;s level (for SeverityDelegate).</extracomment>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../../views/event_queue_model.py" line="192"/>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../views/event_queue_model.py" line="193"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../../views/event_queue_model.py" line="194"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../views/event_queue_model.py" line="195"/>
        <source>Street</source>
        <translation>街道</translation>
    </message>
    <message>
        <location filename="../../views/event_queue_model.py" line="196"/>
        <source>Reported</source>
        <translation>上报时间</translation>
    </message>
    <message>
        <location filename="../../views/event_queue_model.py" line="197"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../views/event_queue_model.py" line="198"/>
        <source>SLA</source>
        <translation>时限</translation>
    </message>
</context>
<context>
    <name>EventQueueView</name>
    <message>
        <location filename="../../views/event_queue.py" line="64"/>
        <source>Search title, id, street, address…</source>
        <translation>搜索标题、编号、街道、地址…</translation>
    </message>
    <message>
        <location filename="../../views/event_queue.py" line="74"/>
        <source>Open events</source>
        <translation>未结事件</translation>
    </message>
    <message>
        <location filename="../../views/event_queue.py" line="75"/>
        <source>All events</source>
        <translation>全部事件</translation>
    </message>
    <message>
        <location filename="../../views/event_queue.py" line="124"/>
        <source>Event queue</source>
        <translation>事件队列</translation>
    </message>
    <message>
        <location filename="../../views/event_queue.py" line="187"/>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
</context>
<context>
    <name>HallStatusBar</name>
    <message>
        <location filename="../../views/status_bar.py" line="50"/>
        <source>seq %1</source>
        <translation>序号 %1</translation>
    </message>
    <message>
        <location filename="../../views/status_bar.py" line="55"/>
        <source>Not signed in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <location filename="../../views/status_bar.py" line="59"/>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <location filename="../../views/status_bar.py" line="63"/>
        <source>%1 events</source>
        <translation>%1 个事件</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../views/login_dialog.py" line="48"/>
        <source>Hall Console — sign in</source>
        <translation>城运大厅坐席 — 登录</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="59"/>
        <source>Liangxi City Operations Centre</source>
        <translation>梁溪区城市运行管理中心</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="61"/>
        <source>Server: %1</source>
        <translation>服务器：%1</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="72"/>
        <source>Remember password in the system keyring</source>
        <translation>在系统密钥环中记住密码</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="84"/>
        <source>The password is never saved to a file; type it at every start.</source>
        <translation>密码绝不会保存到文件中，每次启动时请重新输入。</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="96"/>
        <location filename="../../views/login_dialog.py" line="207"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="104"/>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="105"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="106"/>
        <source>Seat</source>
        <translation>坐席</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="193"/>
        <source>Wrong user name or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="195"/>
        <source>The backend at %1 cannot be reached.</source>
        <translation>无法连接后台 %1。</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="197"/>
        <source>Too many attempts; wait a moment and try again.</source>
        <translation>尝试次数过多，请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="199"/>
        <source>Sign-in failed: %1</source>
        <translation>登录失败：%1</translation>
    </message>
    <message>
        <location filename="../../views/login_dialog.py" line="207"/>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
</context>
<context>
    <name>Role</name>
    <message>
        <location filename="../../views/labels.py" line="47"/>
        <source>Duty officer</source>
        <translation>值班员</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="48"/>
        <source>Shift leader</source>
        <translation>值班长</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="49"/>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
</context>
<context>
    <name>Sla</name>
    <message>
        <location filename="../../views/formatting.py" line="38"/>
        <source>Overdue %1 min</source>
        <translation>超时 %1分</translation>
    </message>
    <message>
        <location filename="../../views/formatting.py" line="40"/>
        <source>Overdue %1 h %2 min</source>
        <translation>超时 %1时%2分</translation>
    </message>
    <message>
        <location filename="../../views/formatting.py" line="48"/>
        <source>Sign %1</source>
        <translation>签收 %1</translation>
    </message>
    <message>
        <location filename="../../views/formatting.py" line="49"/>
        <source>Resolve %1</source>
        <translation>办结 %1</translation>
    </message>
</context>
<context>
    <name>Source</name>
    <message>
        <location filename="../../views/labels.py" line="33"/>
        <source>12345 hotline</source>
        <translation>12345热线</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="34"/>
        <source>Grid governance</source>
        <translation>网格化治理</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="35"/>
        <source>Digital city management</source>
        <translation>数字城管</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="36"/>
        <source>Police Home plan</source>
        <translation>公安家园计划</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="37"/>
        <source>IoT sensing</source>
        <translation>物联感知</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="38"/>
        <source>Indicator breach</source>
        <translation>数字体征</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="39"/>
        <source>Manual entry</source>
        <translation>人工录入</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <location filename="../../views/labels.py" line="17"/>
        <source>New</source>
        <translation>新事件</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="18"/>
        <source>Acknowledged</source>
        <translation>已受理</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="19"/>
        <source>Dispatched</source>
        <translation>已派单</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="20"/>
        <source>Signed for</source>
        <translation>已签收</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="21"/>
        <source>On site</source>
        <translation>处置中</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="22"/>
        <source>Resolved</source>
        <translation>已办结</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="23"/>
        <source>Closed</source>
        <translation>已结案</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="24"/>
        <source>Returned</source>
        <translation>已退单</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="25"/>
        <source>Reopened</source>
        <translation>重新打开</translation>
    </message>
</context>
<context>
    <name>Vault</name>
    <message>
        <location filename="../../views/labels.py" line="102"/>
        <source>No keyring service is available on this system.</source>
        <extracomment>Colours of the connection states on the dark theme.</extracomment>
        <translation>本系统没有可用的密钥环服务。</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="104"/>
        <source>The keyring is disabled.</source>
        <translation>密钥环已被禁用。</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="105"/>
        <source>The keyring stores secrets unencrypted in a file.</source>
        <translation>该密钥环将机密以明文形式保存在文件中。</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="107"/>
        <source>The keyring backend is not recommended for secrets.</source>
        <translation>该密钥环后端不适合保存机密。</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="109"/>
        <source>The keyring could not be opened.</source>
        <translation>无法打开密钥环。</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="111"/>
        <source>The system keyring cannot be used safely here.</source>
        <translation>此处无法安全使用系统密钥环。</translation>
    </message>
</context>
</TS>
