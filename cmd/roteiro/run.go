package main

// Como uma etapa é executada: servidor como processo filho numa porta livre
// do loopback, amostragem dos números do servidor (sampler.go), cliente até
// o fim, servidor parado com SIGTERM (no Windows, CTRL_BREAK_EVENT), linha
// da tabela.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"roteiro2/internal/loadclient"
	"roteiro2/internal/outbuf"
	"roteiro2/internal/summary"
)

// startupLine é a linha de início de todo servidor (contracts.md).
var startupLine = regexp.MustCompile(`(?:Servidor rodando|Rodando) em [0-9.]+:(\d+)`)

// runner guarda o que todas as etapas compartilham.
type runner struct {
	bins     map[string]string // programa → caminho do executável
	delay    time.Duration
	delaySet bool   // -delay foi dado (com -servidor sem {delay}, é o delay do servidor)
	outDir   string // -saida ("" = não grava)
	foreign  *foreign
}

// errCouldNotRun marca falhas que tornam a execução incompleta (código de
// saída ≠ 0): servidor que não subiu, cliente que não rodou.
type errCouldNotRun struct{ msg string }

func (e errCouldNotRun) Error() string { return e.msg }

// serverRun é um servidor iniciado e medido.
type serverRun struct {
	c       *child
	port    int
	sampler *sampler
	foreign bool // de -servidor: sem [RESUMO SERVIDOR], o pedido de parada pode matá-lo
}

// missingProgram explica um programa que este repositório não traz: na
// edição dos alunos da trilha Python não há cmd/server_async.
func missingProgram(prog string) string {
	return fmt.Sprintf("não há cmd/%s neste repositório (na trilha Python a Etapa 3 é o seu server_async.py: "+
		"go run ./cmd/roteiro -etapas 3.3,desafio -servidor 'python3 server_async.py')", prog)
}

// startServer inicia um servidor em -port 0 e espera a linha de início.
func (rn *runner) startServer(ctx context.Context, prog string, args []string) (*serverRun, error) {
	if rn.bins[prog] == "" {
		return nil, errCouldNotRun{missingProgram(prog)}
	}
	c, err := startChild(ctx, prog, rn.bins[prog], append([]string{"-port", "0"}, args...), false)
	if err != nil {
		return nil, errCouldNotRun{err.Error()}
	}
	const wait = 15 * time.Second
	line, err := c.out.WaitLine(startupLine, c.done, wait)
	if err != nil {
		c.stop(2 * time.Second)
		if errors.Is(err, outbuf.ErrExited) {
			return nil, errCouldNotRun{fmt.Sprintf("%s terminou antes de imprimir a linha de início (%v): %s", prog, c.wait, tail(c.out.String(), 400))}
		}
		return nil, errCouldNotRun{fmt.Sprintf("%s não imprimiu a linha de início em %v: %s", prog, wait, tail(c.out.String(), 400))}
	}
	port, _ := strconv.Atoi(startupLine.FindStringSubmatch(line)[1])
	if port < 1 || port > 65535 {
		// O -port 0 pede ao kernel uma porta livre; quem imprime 0 não pediu:
		// a linha de início saiu sem socket de escuta (a edição dos alunos
		// imprime a linha do esqueleto antes de o start_server existir).
		c.stop(2 * time.Second)
		return nil, errCouldNotRun{fmt.Sprintf("%s imprimiu %q, com a porta %d: não abriu o socket de escuta "+
			"(falta o start_server do main?)", prog, strings.TrimSpace(line), port)}
	}
	// A linha de início sai antes de o runtime terminar de se arrumar: 200 ms
	// de repouso para que o RSS "ocioso" seja mesmo o de repouso.
	time.Sleep(200 * time.Millisecond)
	return &serverRun{c: c, port: port, sampler: startSampler(c.Pid())}, nil
}

// figures combina a amostragem com o resumo que o servidor imprimiu ao sair
// e preenche as colunas de processo da linha.
func (s *serverRun) figures(r *Row, keys map[string]string) {
	idle, last, peakThreads, peakRSS := s.sampler.result()
	r.IdleThreads, r.PeakThreads = idle.Threads, peakThreads
	r.IdleKStack, r.PeakKStack = s.sampler.kstack()
	if t, err := strconv.Atoi(keys["threads_pico"]); err == nil && t > r.PeakThreads && r.PeakThreads >= 0 {
		r.PeakThreads = t // o próprio servidor viu um pico entre duas amostras
	}
	r.IdleRSS, r.PeakRSS = idle.RSS, peakRSS
	// CPU e trocas de contexto: o servidor conhece o total exato (getrusage
	// soma as threads que já terminaram) e o imprime no resumo; sem ele
	// (servidor morto, servidor de fora), a última amostra (proc.Of).
	r.CPU = -1
	user, e1 := parseSeconds(keys["cpu_usuario"])
	sys, e2 := parseSeconds(keys["cpu_sistema"])
	switch {
	case idle.CPU() < 0:
	case e1 == nil && e2 == nil:
		r.CPU = max(0, user+sys-idle.CPU())
	case last.CPU() >= 0:
		r.CPU = max(0, last.CPU()-idle.CPU())
	}
	// Trocas: pelo /proc só vemos as threads vivas (um piso, "≥").
	r.Switches = -1
	vol, e3 := strconv.ParseInt(keys["trocas_vol"], 10, 64)
	inv, e4 := strconv.ParseInt(keys["trocas_invol"], 10, 64)
	switch {
	case idle.Switches() < 0:
	case e3 == nil && e4 == nil:
		r.Switches = max(0, vol+inv-idle.Switches())
	case last.Switches() >= 0:
		r.Switches, r.SwitchesFloor = max(0, last.Switches()-idle.Switches()), true
	}
}

// nervousConnect é o prazo de conexão padrão do clientenervoso (-connect-timeout).
const nervousConnect = 2 * time.Second

// parseSeconds lê uma duração do resumo ("0.12s"); "n/d" dá erro.
func parseSeconds(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err == nil && d < 0 {
		err = fmt.Errorf("duração negativa %q", s)
	}
	return d, err
}

// clientArgs monta a linha de comando do cliente de uma etapa e devolve
// também o prazo dele: o pior caso pelos seus timeouts mais 60 s (ou Bound).
func clientArgs(st stageDef, delay time.Duration, port, origins int, svg string) ([]string, time.Duration) {
	args := []string{"-host", "127.0.0.1", "-port", strconv.Itoa(port), "-n", strconv.Itoa(st.N), "-q"}
	var worst time.Duration
	if st.Client == "client" {
		// Clientes educados esperam a vez: o último espera N atendimentos.
		t := time.Duration(st.N)*delay + 30*time.Second
		args = append(args, "-timeout", t.String())
		worst = 10*time.Second + t
	} else {
		// A mesma proporção do laboratório: paciência de 2 s para entrar e,
		// depois de entrar, 2 × o delay (10 s para o sleep(5) original).
		t := max(2*delay, 2*time.Second)
		args = append(args, "-timeout", t.String())
		if origins > 1 {
			args = append(args, "-origens", strconv.Itoa(origins))
		}
		worst = 2*time.Second + t
	}
	bound := worst + 60*time.Second // folga generosa: só pega o que travou
	if st.Scale {
		// No pacote flag a última ocorrência vence.
		args = append(args, "-connect-timeout", "10s", "-timeout", (delay + 30*time.Second).String())
		bound = delay + 60*time.Second
	}
	if svg != "" {
		args = append(args, "-svg", svg)
	}
	return args, bound
}

// clientOrigins é quantos endereços de origem (127.0.0.1..k) o cliente usa:
// os que a etapa pede, se existem aqui; senão um só, e por quê. No Linux
// todo o 127.0.0.0/8 responde; no macOS só 127.0.0.1 vem configurado.
func clientOrigins(want int) (int, string) {
	if want <= 1 {
		return 1, ""
	}
	if err := loadclient.CheckOrigins(want); err != nil {
		return 1, fmt.Sprintf("um endereço de origem só, não %d (%v): os clientes cabem nas portas efêmeras de um "+
			"endereço (no macOS os outros exigiriam \"sudo ifconfig lo0 alias 127.0.0.2\")", want, err)
	}
	return want, ""
}

// runStageRetry é runStage com as repetições de retryStage.
func (rn *runner) runStageRetry(ctx context.Context, st stageDef) (Row, error) {
	return retryStage(ctx, st, rn.runStage)
}

// retryStage roda a etapa com run e a repete (até st.CookieRetries vezes) só
// quando a falha é a que os SYN cookies explicam (Verdict.Cookies: poucos
// timeouts de conexão porque o kernel respondeu com cookies, e o resto
// certo): a máquina carregada juntou os SYN e a fila de SYN encheu
// (cookiesText), uma interferência de fora, medida, não um defeito do
// servidor. Um servidor que caiu, um cliente recusado ou uma fila errada
// não se repetem. Cada tentativa perdida fica registrada na linha.
func retryStage(ctx context.Context, st stageDef, run func(context.Context, stageDef) (Row, error)) (Row, error) {
	var lost []string
	for attempt := 1; ; attempt++ {
		r, err := run(ctx, st)
		retry := err == nil && ctx.Err() == nil && attempt <= st.CookieRetries && r.Verdict.Cookies
		if !retry {
			r.Adjust = append(r.Adjust, lost...)
			return r, err
		}
		lost = append(lost, fmt.Sprintf("tentativa %d perdida e repetida: %s", attempt, entryText(r)+"; "+cookiesText(r.Cookies)))
	}
}

// runStage executa uma etapa do começo ao fim.
func (rn *runner) runStage(ctx context.Context, st stageDef) (Row, error) {
	start := time.Now()
	// Backlog: o -backlog passado aos nossos servidores; com -servidor nada é
	// passado, e só o listen(1) da 1.2 (o do servergargalo.py) é esperado.
	r := noFigures(Row{ID: st.ID, Stage: st.Stage, Server: st.ServerName, Clients: st.N, Backlog: st.Backlog})
	if st.Scale && rn.foreign == nil {
		r.Backlog = scaleBacklog
	}
	delay, why := stageDelay(st, rn.delay)
	if rn.foreign != nil {
		r.Server = rn.foreign.name()
		delay, why = rn.foreign.delayFor(st, rn.delay, rn.delaySet)
	}
	r.Delay = delay
	if why != "" {
		r.Adjust = append(r.Adjust, why)
	}
	if rn.foreign == nil && st.Server == "server_async" {
		if reason := asyncReason(runtime.GOOS); reason != "" {
			r.Skipped = reason
			r.Verdict = Verdict{Why: "não roda neste sistema: " + reason}
			return r, nil
		}
	}
	if rn.foreign == nil && rn.bins[st.Server] == "" {
		r.Skipped = missingProgram(st.Server)
		r.Verdict = Verdict{Why: "não roda aqui: " + r.Skipped}
		return r, nil
	}
	origins, why := clientOrigins(st.Origins)
	if why != "" {
		r.Adjust = append(r.Adjust, why)
	}

	var srv *serverRun
	var err error
	if rn.foreign != nil {
		srv, err = rn.foreign.start(ctx, delay, &r)
	} else {
		args := append([]string{"-delay", delay.String()}, st.ServerArgs...)
		if st.N >= 100 {
			args = append(args, "-q")
		}
		if r.Backlog > 0 {
			args = append(args, "-backlog", strconv.Itoa(r.Backlog))
		}
		srv, err = rn.startServer(ctx, st.Server, args)
	}
	if err != nil {
		r.Note = err.Error()
		return r, err
	}
	// A fila do kernel: do instante antes do cliente até ele terminar.
	kq := watchQueue(srv.port)

	svg := ""
	if rn.outDir != "" {
		r.SVG = "etapa-" + st.ID + ".svg"
		svg = filepath.Join(rn.outDir, r.SVG)
	}
	cargs, bound := clientArgs(st, delay, srv.port, origins, svg)
	if rn.foreign != nil {
		// Um script de porta fixa sem SO_REUSEADDR (serverbloq.py, server.py)
		// fecha primeiro e ficaria com as conexões em TIME_WAIT, prendendo a
		// porta por 60 s para a próxima etapa ou rodada. Os clientes fecham com
		// RST depois de ler a resposta inteira e o EOF: nada fica em TIME_WAIT.
		cargs = append(cargs, "-fechar-com-rst")
	}
	cctx, cancel := context.WithTimeout(ctx, bound)
	defer cancel()
	cl, err := startChild(cctx, st.Client, rn.bins[st.Client], cargs, true)
	if err != nil {
		kq.finish(&r)
		srv.sampler.stop()
		srv.c.stop(5 * time.Second)
		r.Note = err.Error()
		return r, errCouldNotRun{err.Error()}
	}
	// Onde as threads dormem no meio do atraso, com os clientes esperando.
	ww := watchWaits(srv.c.Pid(), time.Now().Add(delay/2))
	<-cl.done
	r.Waits = ww.stop()
	kq.finish(&r)      // o servidor ainda escuta: última amostra da fila
	srv.sampler.stop() // última amostra: o servidor ainda está vivo
	clientOut := cl.out.String()

	// Nada mais em andamento: o servidor deve sair logo após o pedido de
	// parada (SIGTERM; no Windows, CTRL_BREAK_EVENT).
	diedEarly := srv.c.exited()
	forced := srv.c.stop(delay + 10*time.Second)
	code := srv.c.exitCode()
	keys := map[string]string{} // um servidor de fora não imprime o [RESUMO SERVIDOR]
	if !srv.foreign {
		keys = summary.ServerKeys(srv.c.out.String())
	}
	srv.figures(&r, keys)
	r.Elapsed = time.Since(start)

	var runErr error
	switch res, perr := summary.Find(clientOut); {
	case ctx.Err() != nil:
		runErr = ctx.Err()
		r.Note = "interrompido"
	case cctx.Err() != nil:
		r.Note = fmt.Sprintf("cliente estourou o prazo de %v e foi morto", bound)
		runErr = errCouldNotRun{st.ID + ": " + r.Note}
	case perr != nil:
		r.Note = fmt.Sprintf("cliente sem RESUMO (%v): %s %s", cl.wait, tail(clientOut, 200), tail(cl.err.String(), 200))
		runErr = errCouldNotRun{st.ID + ": " + r.Note}
	default:
		r.Res, r.HasRes = res, true
	}
	failure := ""
	switch {
	case ctx.Err() != nil: // Ctrl-C: nada a verificar nem a explicar
		r.Verdict = Verdict{Why: "interrompido"}
		r.Note = ""
		return r, runErr
	case diedEarly:
		failure = fmt.Sprintf("o servidor terminou antes do fim da etapa (código %d): %s", code, tail(srv.c.out.String(), 200))
	case forced && srv.c.stopErr != nil:
		failure = fmt.Sprintf("o pedido de parada (%s) não pôde ser enviado (%v) e o servidor foi morto", stopName, srv.c.stopErr)
	case forced:
		failure = "o servidor não saiu com " + stopName + " e foi morto"
	case srv.foreign && !foreignExitOK(srv.c):
		failure = fmt.Sprintf("o servidor saiu com código %d depois do %s", code, stopName)
	case !srv.foreign && code != 0:
		failure = fmt.Sprintf("o servidor saiu com código %d", code)
	}
	if failure != "" {
		r.ServerFailed = true
		r.Note = strings.TrimPrefix(r.Note+"; "+failure, "; ")
	}
	switch {
	case r.HasRes && st.check != nil:
		r.Verdict = st.check(r, delay)
	case st.check == nil:
		r.Verdict = Verdict{}
	default:
		r.Verdict = Verdict{Checked: true, OK: false, Why: "sem resultado do cliente"}
	}
	if r.ServerFailed && r.Verdict.Checked { // um servidor que caiu ou travou não cumpre a etapa
		r.Verdict.OK = false
	}
	if svg != "" {
		if _, err := os.Stat(svg); err != nil {
			r.SVG = ""
		}
	}
	return r, runErr
}
