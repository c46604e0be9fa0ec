-- 平安通 (a county grid-governance platform) as its vendor ships it on MySQL / MariaDB: the
-- foreign schema GridScreen's connector reads in the tests and the benchmark. Its own names,
-- codes and Chinese status words; local (Asia/Shanghai) times without a zone; logical deletion
-- (del_flag '2'); a status-log table (t_case_flow) beside stage times on the case row.

CREATE TABLE t_sys_region (
  region_code   VARCHAR(20)  NOT NULL PRIMARY KEY COMMENT '区划代码',
  region_name   VARCHAR(50)  NOT NULL COMMENT '名称',
  region_level  TINYINT      NOT NULL COMMENT '1县 2乡镇 3村社区 4网格',
  parent_code   VARCHAR(20)  NULL,
  households    INT          NULL COMMENT '户数',
  population    INT          NULL COMMENT '人口',
  boundary      MEDIUMTEXT   NULL COMMENT '边界 WKT',
  del_flag      CHAR(1)      NOT NULL DEFAULT '0' COMMENT '0正常 2删除',
  update_time   DATETIME     NOT NULL,
  KEY idx_region_update (update_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='行政区划与网格';

CREATE TABLE t_sys_dept (
  dept_id       INT          NOT NULL AUTO_INCREMENT PRIMARY KEY,
  dept_code     VARCHAR(30)  NOT NULL UNIQUE,
  dept_name     VARCHAR(60)  NOT NULL,
  dept_type     VARCHAR(10)  NOT NULL COMMENT '县直部门/乡镇/村社区/网格',
  del_flag      CHAR(1)      NOT NULL DEFAULT '0',
  update_time   DATETIME     NOT NULL,
  KEY idx_dept_update (update_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='处置部门';

CREATE TABLE t_event_type (
  type_code        VARCHAR(20)   NOT NULL PRIMARY KEY COMMENT '如 01、0101、A01.02、JT-001',
  type_name        VARCHAR(60)   NOT NULL,
  parent_code      VARCHAR(20)   NULL COMMENT '大类为空',
  time_limit_hours DECIMAL(6,1)  NULL COMMENT '办理时限（小时），大类可为空',
  major_flag       CHAR(1)       NOT NULL DEFAULT 'N',
  del_flag         CHAR(1)       NOT NULL DEFAULT '0',
  update_time      DATETIME      NOT NULL,
  KEY idx_type_update (update_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='事项分类';

CREATE TABLE t_grid_member (
  member_id     INT          NOT NULL AUTO_INCREMENT PRIMARY KEY,
  grid_code     VARCHAR(20)  NOT NULL,
  member_name   VARCHAR(30)  NOT NULL,
  duty          VARCHAR(20)  NOT NULL COMMENT '网格长/专职网格员/民警/党员/志愿者',
  mobile        VARCHAR(20)  NULL,
  on_duty       CHAR(1)      NOT NULL DEFAULT '1',
  update_time   DATETIME     NOT NULL,
  KEY idx_member_update (update_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='网格力量';

CREATE TABLE t_case (
  case_id        BIGINT         NOT NULL AUTO_INCREMENT PRIMARY KEY,
  case_no        VARCHAR(32)    NOT NULL UNIQUE COMMENT '案件编号',
  case_title     VARCHAR(255)   NOT NULL,
  case_desc      TEXT           NULL,
  type_code      VARCHAR(20)    NOT NULL,
  grid_code      VARCHAR(20)    NOT NULL,
  channel        VARCHAR(20)    NOT NULL COMMENT '网格员巡查/群众来访/12345热线/视频监控/部门转办',
  urgency        VARCHAR(10)    NOT NULL DEFAULT '一般',
  lng            DECIMAL(10,6)  NULL,
  lat            DECIMAL(10,6)  NULL,
  reporter_id    INT            NULL,
  status         VARCHAR(10)    NOT NULL COMMENT '待受理/已受理/不予受理/已派遣/处置中/已处置/办结',
  report_time    DATETIME       NOT NULL,
  accept_time    DATETIME       NULL COMMENT '受理或不予受理的时间',
  dispatch_time  DATETIME       NULL,
  handle_dept_id INT            NULL,
  finish_time    DATETIME       NULL COMMENT '处置完成',
  close_time     DATETIME       NULL COMMENT '办结',
  limit_time     DATETIME       NULL COMMENT '截止时间',
  del_flag       CHAR(1)        NOT NULL DEFAULT '0',
  update_time    DATETIME       NOT NULL,
  KEY idx_case_update (update_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='事件';

CREATE TABLE t_case_flow (
  flow_id     BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
  case_id     BIGINT        NOT NULL,
  node_name   VARCHAR(20)   NOT NULL COMMENT '上报/受理/不予受理/派遣/签收/处置完成/核查不通过/办结/退回/催办',
  oper_time   DATETIME      NOT NULL,
  dept_id     INT           NULL,
  oper_user   VARCHAR(30)   NULL,
  opinion     VARCHAR(500)  NULL,
  KEY idx_flow_case (case_id, oper_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='流转记录';
