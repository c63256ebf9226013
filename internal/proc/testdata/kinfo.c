/*
 * Gera os bytes dos arquivos .hex de testdata: um struct kinfo_proc (FreeBSD) ou
 * kinfo_proc2 (NetBSD) preenchido com valores conhecidos, disposto na
 * memória pelo próprio compilador C para cada arquitetura. Os testes de
 * kinfo_test.go decodificam esses bytes e conferem os valores: assim os
 * deslocamentos de kinfo.go são checados contra o layout que o C produz,
 * não contra uma conta feita à mão.
 *
 * As declarações abaixo seguem sys/sys/user.h (FreeBSD 13/14) e
 * sys/sys/sysctl.h (NetBSD), campo a campo, com os tipos de cada sistema.
 * Sem #include: compila sem o sysroot do sistema-alvo (veja gen.sh).
 */

#ifdef __LP64__
typedef long i64;
typedef unsigned long u64;
#else
typedef long long i64;
typedef unsigned long long u64;
#endif

#if defined(FREEBSD)

#if defined(__i386__)
typedef int time_t;			/* no FreeBSD/i386, time_t tem 32 bits */
#else
typedef i64 time_t;
#endif
struct timeval { time_t tv_sec; long tv_usec; };
struct rusage {
	struct timeval ru_utime, ru_stime;
	long ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt,
	    ru_nswap, ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv,
	    ru_nsignals, ru_nvcsw, ru_nivcsw;
};
typedef struct { unsigned int bits[4]; } sigset_t;
struct priority { unsigned char c, l, n, u; };
typedef long segsz_t;			/* __segsz_t: 32 bits em i386/arm, 64 nos demais */
typedef unsigned long vm_size_t;

struct kinfo_proc {
	int ki_structsize, ki_layout;
	void *ki_args, *ki_paddr, *ki_addr, *ki_tracep, *ki_textvp, *ki_fd,
	    *ki_vmspace, *ki_wchan;
	int ki_pid, ki_ppid, ki_pgid, ki_tpgid, ki_sid, ki_tsid;
	short ki_jobc, ki_spare_short1;
	unsigned int ki_tdev_freebsd11;
	sigset_t ki_siglist, ki_sigmask, ki_sigignore, ki_sigcatch;
	unsigned int ki_uid, ki_ruid, ki_svuid, ki_rgid, ki_svgid;
	short ki_ngroups, ki_spare_short2;
	unsigned int ki_groups[16];
	vm_size_t ki_size;
	segsz_t ki_rssize, ki_swrss, ki_tsize, ki_dsize, ki_ssize;
	unsigned short ki_xstat, ki_acflag;
	unsigned int ki_pctcpu, ki_estcpu, ki_slptime, ki_swtime, ki_cow;
	u64 ki_runtime;
	struct timeval ki_start, ki_childtime;
	long ki_flag, ki_kiflag;
	int ki_traceflag;
	char ki_stat, ki_nice, ki_lock, ki_rqindex;
	unsigned char ki_oncpu_old, ki_lastcpu_old;
	char ki_tdname[17], ki_wmesg[9], ki_login[18], ki_lockname[9],
	    ki_comm[20], ki_emul[17], ki_loginclass[18], ki_moretdname[4],
	    ki_sparestrings[46];
	int ki_spareints[2];
	u64 ki_tdev;
	int ki_oncpu, ki_lastcpu, ki_tracer, ki_flag2, ki_fibnum;
	unsigned int ki_cr_flags;
	int ki_jid, ki_numthreads, ki_tid;
	struct priority ki_pri;
	struct rusage ki_rusage, ki_rusage_ch;
	void *ki_pcb, *ki_kstack, *ki_udata, *ki_tdaddr, *ki_pd,
	    *ki_spareptrs[5];
	long ki_sparelongs[12], ki_sflag, ki_tdflags;
};

/* Os valores que kinfo_test.go espera; vizinhos com valores próprios,
 * para que um deslocamento errado por um campo apareça. */
struct kinfo_proc kp = {
	.ki_structsize = sizeof(struct kinfo_proc),
	.ki_pid = 4242,
	.ki_size = 99999,
	.ki_rssize = 2500,
	.ki_swrss = 111,
	.ki_jid = 7,
	.ki_numthreads = 17,
	.ki_tid = 100123,
	.ki_pri = { 1, 2, 3, 4 },
	.ki_rusage = {
		.ru_utime = { 3, 250000 },
		.ru_stime = { 1, 500000 },
		.ru_maxrss = 12345,
		.ru_ixrss = 5,
		.ru_nsignals = 4,
		.ru_nvcsw = 678,
		.ru_nivcsw = 90,
	},
	.ki_rusage_ch = { .ru_utime = { 8, 8 }, .ru_maxrss = 777 },
	.ki_pcb = (void *)0x10,
};
_Static_assert(sizeof(struct kinfo_proc) == KINFO_PROC_SIZE,
    "sizeof(struct kinfo_proc) difere do KINFO_PROC_SIZE da arquitetura");

#elif defined(NETBSD)

typedef struct { unsigned int bits[4]; } ki_sigset_t;
struct kinfo_proc2 {
	u64 p_forw, p_back, p_paddr, p_addr, p_fd, p_cwdi, p_stats, p_limit,
	    p_vmspace, p_sigacts, p_sess, p_tsess, p_ru;
	int p_eflag, p_exitsig, p_flag;
	int p_pid, p_ppid, p_sid, p__pgid, p_tpgid;
	unsigned int p_uid, p_ruid, p_gid, p_rgid, p_groups[16];
	short p_ngroups, p_jobc;
	unsigned int p_tdev;
	unsigned int p_estcpu, p_rtime_sec, p_rtime_usec;
	int p_cpticks;
	unsigned int p_pctcpu, p_swtime, p_slptime;
	int p_schedflags;
	u64 p_uticks, p_sticks, p_iticks, p_tracep;
	int p_traceflag, p_holdcnt;
	ki_sigset_t p_siglist, p_sigmask, p_sigignore, p_sigcatch;
	signed char p_stat;
	unsigned char p_priority, p_usrpri, p_nice;
	unsigned short p_xstat, p_acflag;
	char p_comm[24], p_wmesg[8];
	u64 p_wchan;
	char p_login[24];
	int p_vm_rssize, p_vm_tsize, p_vm_dsize, p_vm_ssize;
	i64 p_uvalid;
	unsigned int p_ustart_sec, p_ustart_usec;
	unsigned int p_uutime_sec, p_uutime_usec, p_ustime_sec, p_ustime_usec;
	u64 p_uru_maxrss, p_uru_ixrss, p_uru_idrss, p_uru_isrss, p_uru_minflt,
	    p_uru_majflt, p_uru_nswap, p_uru_inblock, p_uru_oublock,
	    p_uru_msgsnd, p_uru_msgrcv, p_uru_nsignals, p_uru_nvcsw,
	    p_uru_nivcsw;
	unsigned int p_uctime_sec, p_uctime_usec;
	u64 p_cpuid, p_realflag, p_nlwps, p_nrlwps, p_realstat;
	unsigned int p_svuid, p_svgid;
};

struct kinfo_proc2 kp = {
	.p_pid = 4242,
	.p_vm_rssize = 2500,
	.p_vm_tsize = 111,
	.p_uvalid = 1,
	.p_ustart_usec = 9,
	.p_uutime_sec = 3, .p_uutime_usec = 250000,
	.p_ustime_sec = 1, .p_ustime_usec = 500000,
	.p_uru_maxrss = 12345,
	.p_uru_ixrss = 5,
	.p_uru_nsignals = 4,
	.p_uru_nvcsw = 678,
	.p_uru_nivcsw = 90,
	.p_uctime_sec = 8,
	.p_realflag = 6,
	.p_nlwps = 17,
	.p_nrlwps = 2,
};

#endif
