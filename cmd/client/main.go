// Comando client é a tradução de client.py: três clientes bem-comportados
// (-n para mudar) disparados ao mesmo tempo contra o servidor (Etapa 1.1).
// Cada um conecta, envia "Tarefa do Cliente i" e espera a resposta.
//
// O original não tem prazo nenhum: contra um servidor travado ele espera
// para sempre. Aqui há prazos generosos (-connect-timeout 10s, -timeout 60s
// para a resposta), para nada ficar pendurado.
package main

import (
	"errors"
	"fmt"
	"os"
	"time"

	"roteiro2/internal/cli"
	"roteiro2/internal/loadclient"
	"roteiro2/internal/summary"
	"roteiro2/internal/timeline"
)

var cfg loadclient.Config

func main() {
	f := loadclient.RegisterFlags(3, 10*time.Second, 60*time.Second)
	f.Parse()
	cfg = loadclient.Config{
		Addr:           f.Addr(),
		ConnectTimeout: f.ConnectTimeout,
		ReplyTimeout:   f.ReplyTimeout,
		Quiet:          f.Quiet,
		Out:            os.Stdout,
	}
	if f.Quiet {
		cfg.Progress = os.Stderr
	}

	fmt.Println("--- DISPARANDO MÚLTIPLOS CLIENTES SIMULTANEAMENTE ---")
	// threading.Thread(target=enviarTarefa, args=(i,)).start() para cada i;
	// aqui uma goroutine por cliente, todas soltas juntas por run.Start.
	run := loadclient.New(cfg, f.N)
	for i := 1; i <= f.N; i++ {
		run.Go(i, enviarTarefa)
	}
	run.Start()
	results := run.Wait() // o join() de cada thread
	fmt.Println("--- TODOS OS CLIENTES FINALIZADOS ---")

	exit := 0
	if f.SVG != "" {
		sc := timeline.Scenario{Program: "client", Addr: cfg.Addr,
			ConnectTimeout: cfg.ConnectTimeout, ReplyTimeout: cfg.ReplyTimeout}
		if err := loadclient.WriteSVG(f.SVG, sc, results); err != nil {
			fmt.Fprintf(os.Stderr, "client: não consegui gravar a linha do tempo: %v\n", err)
			exit = cli.ExitRuntime
		} else {
			fmt.Printf("[LINHA DO TEMPO] %s\n", f.SVG)
		}
	}
	// A última linha: o RESUMO, que cmd/roteiro e os testes leem.
	fmt.Println(loadclient.Resumo(results))
	os.Exit(exit)
}

// enviarTarefa é o que cada thread do original faz.
func enviarTarefa(c *loadclient.Client) {
	// connect(): o handshake TCP. Com um servidor bloqueante ocupado, a
	// conexão fica completa na fila do kernel (backlog) até o accept().
	conn, err := c.Dial()
	if err != nil {
		relatarFalha(c, err)
		return
	}
	// finally: s.close() — em Go, um defer, que roda em qualquer saída.
	defer conn.Close()

	msg := fmt.Sprintf("Tarefa do Cliente %d", c.ID)
	c.Logf("Enviando: %s", msg)
	if err := c.Send(conn, []byte(msg)); err != nil {
		relatarFalha(c, err)
		return
	}
	// recv(): bloqueia até a resposta chegar (aqui, até o servidor fechar).
	reply, err := c.ReadReply(conn)
	if err != nil {
		relatarFalha(c, err)
		return
	}
	c.Logf("Recebeu: %s", reply)
}

// relatarFalha registra o desfecho e imprime a linha de erro. O original só
// trata ConnectionRefusedError ("Servidor offline."); os outros erros
// derrubariam a thread com um traceback. Aqui cada um tem a sua linha.
func relatarFalha(c *loadclient.Client, err error) {
	switch c.Fail(err) {
	case summary.Refused:
		c.Logf("Erro: Servidor offline.")
	case summary.ConnectTimeout:
		c.Logf("Erro: o servidor não aceitou a conexão em %v.", cfg.ConnectTimeout)
	case summary.ReplyTimeout:
		if p, ok := errors.AsType[*loadclient.Partial](err); ok {
			c.Logf("Erro: recebeu %d bytes, mas a resposta não terminou em %v.", p.Got, cfg.ReplyTimeout)
		} else {
			c.Logf("Erro: a resposta não chegou em %v.", cfg.ReplyTimeout)
		}
	case summary.Reset:
		c.Logf("Erro: %s", loadclient.ResetText(err, true))
	default:
		c.Logf("Erro: %v", err)
	}
}
