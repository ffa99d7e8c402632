-- wrk script: POST /api/v1/jobs with a small valid job (the bench key comes from the LIVE2_BENCH_KEY environment).
wrk.method = "POST"
wrk.body = '{"job_type":"run_simulation","params":{"simulation_config":{"mode":"open_chemistry",' ..
           '"config":{"num_particles":100,"temperature":300,"steps":1000}}}}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("LIVE2_BENCH_KEY")
